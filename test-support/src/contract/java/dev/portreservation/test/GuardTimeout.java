package dev.portreservation.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A time limit that only guards against a hung test, never a performance assertion: every
 * test method and lifecycle method of the annotated class (or the annotated method) fails
 * when it runs longer than {@link #value()} seconds times the factor set by
 * {@value #FACTOR_PROPERTY} (a JVM system property or a JUnit configuration parameter,
 * default 1), and its failure says so and how to raise it. A slow or loaded machine runs
 * the whole build with, for example, {@code mvn verify -Dportreservation.test.timeout-factor=3}.
 * <p>
 * When the time is up the test's thread is interrupted, as with JUnit's own
 * {@code @Timeout}; the failure is reported once the test returns. Waits a test does
 * itself (a child process, a latch, a future) scale the same way through
 * {@link GuardTimeouts#seconds(long)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@ExtendWith(GuardTimeoutExtension.class)
public @interface GuardTimeout {

	/**
	 * The system property (or JUnit configuration parameter) that scales every guard.
	 */
	String FACTOR_PROPERTY = "portreservation.test.timeout-factor";

	/**
	 * @return the limit in seconds on a machine of normal speed, before scaling
	 */
	long value();

}
