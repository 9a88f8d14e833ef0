package dev.portreservation.test;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each invocation under its {@link GuardTimeout}, scaled by
 * {@value GuardTimeout#FACTOR_PROPERTY}; a test over its limit fails with a message that
 * says the limit is a guard and how to raise it.
 */
final class GuardTimeoutExtension implements InvocationInterceptor {

	private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "guard-timeout");
		thread.setDaemon(true);
		return thread;
	});

	@Override
	public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
			ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public void interceptTestTemplateMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		return guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public void interceptBeforeAllMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public void interceptBeforeEachMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public void interceptAfterEachMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	@Override
	public void interceptAfterAllMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
		guard(invocation, invocationContext, extensionContext);
	}

	private <T> T guard(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
			ExtensionContext extensionContext) throws Throwable {
		Optional<GuardTimeout> annotation = find(invocationContext.getExecutable())
			.or(() -> find(invocationContext.getTargetClass()));
		if (annotation.isEmpty()) {
			return invocation.proceed();
		}
		String factor = extensionContext.getConfigurationParameter(GuardTimeout.FACTOR_PROPERTY).orElse(null);
		long base = annotation.get().value();
		Duration limit = scaled(base, factor);
		Thread thread = Thread.currentThread();
		AtomicBoolean expired = new AtomicBoolean();
		ScheduledFuture<?> alarm = TIMER.schedule(() -> {
			expired.set(true);
			thread.interrupt();
		}, limit.toMillis(), TimeUnit.MILLISECONDS);
		Throwable failure = null;
		T result = null;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			alarm.cancel(false);
		}
		if (expired.get()) {
			// Clear the interrupt meant for the test, so it does not leak into the next.
			Thread.interrupted();
			AssertionError timedOut = new AssertionError(message(invocationContext.getExecutable(), base, factor, limit));
			if (failure != null) {
				timedOut.addSuppressed(failure);
			}
			throw timedOut;
		}
		if (failure != null) {
			throw failure;
		}
		return result;
	}

	private static Optional<GuardTimeout> find(AnnotatedElement element) {
		Optional<GuardTimeout> found = AnnotationSupport.findAnnotation(element, GuardTimeout.class);
		if (found.isEmpty() && element instanceof Class<?> type && type.getEnclosingClass() != null) {
			return find(type.getEnclosingClass());
		}
		return found;
	}

	static String message(Method method, long base, String factor, Duration limit) {
		return method.getName() + "() ran longer than its time limit of " + limit.toSeconds() + " s (" + base
				+ " s × " + GuardTimeout.FACTOR_PROPERTY + "=" + ((factor != null) ? factor.strip() : "1")
				+ "). The limit is a guard against a hung test, not a performance assertion: on a slow or busy "
				+ "machine raise it, e.g. mvn verify -D" + GuardTimeout.FACTOR_PROPERTY + "=3.";
	}

	static Duration scaled(long seconds, String factor) {
		double multiplier = 1;
		if (factor != null && !factor.isBlank()) {
			try {
				multiplier = Double.parseDouble(factor.strip());
			}
			catch (NumberFormatException ex) {
				multiplier = Double.NaN;
			}
			if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
				throw new IllegalArgumentException(GuardTimeout.FACTOR_PROPERTY + " must be a positive number such "
						+ "as 3 or 1.5, was '" + factor + "'");
			}
		}
		return Duration.ofMillis(Math.round(seconds * 1000 * multiplier));
	}

}
