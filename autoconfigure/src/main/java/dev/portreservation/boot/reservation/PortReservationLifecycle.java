package dev.portreservation.boot.reservation;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.ReservationKind;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Holds the auto-configured block and gives it back when the context closes. A persistent
 * block this application created is deleted when
 * {@code portreservation.delete-on-shutdown} is set, and also when startup failed before
 * the context was refreshed, so a failed start leaves nothing reserved behind. A block
 * that was found already recorded is never deleted.
 * <p>
 * When devtools restarts the application, the block is parked for the restarted context
 * instead of being released ({@link RetainedBlocks}), so the application keeps its block
 * and port.
 * <p>
 * Not an {@code ApplicationListener} bean: the bean is lazy (a block is reserved only
 * when something asks for it) and a listener bean would be created by the first event. It
 * listens through the context instead.
 */
public class PortReservationLifecycle implements ApplicationContextAware, DisposableBean {

	private static final Log logger = LogFactory.getLog(PortReservationLifecycle.class);

	private static final String RESTART_CLASS_LOADER = "org.springframework.boot.devtools.restart.classloader."
			+ "RestartClassLoader";

	private final PortReservation reservation;

	private final PortReservations backend;

	private final boolean deleteOnShutdown;

	private final RequestedBlock requested;

	private ApplicationContext context;

	private volatile boolean started;

	private boolean underDevtools;

	private volatile Map<String, Integer> portsAtClose = Map.of();

	private final AtomicBoolean destroyed = new AtomicBoolean();

	PortReservationLifecycle(PortReservation reservation, PortReservations backend, boolean deleteOnShutdown,
			RequestedBlock requested) {
		this.reservation = reservation;
		this.backend = backend;
		this.deleteOnShutdown = deleteOnShutdown;
		this.requested = requested;
	}

	/**
	 * Reserves the block asked for and creates the lifecycle that holds it. Under
	 * devtools, takes back the block the previous context kept, so a restart stays on the
	 * same block and ports. Whatever asks first (a named port while the configuration is
	 * read, the embedded server, a bean) reserves through here, so one lifecycle holds
	 * the block and the context's close releases it.
	 * @param backend the backend
	 * @param requested the block asked for
	 * @param deleteOnShutdown {@code portreservation.delete-on-shutdown}
	 * @param context the context the block is for
	 * @return the lifecycle, already attached to the context
	 */
	public static PortReservationLifecycle reserve(PortReservations backend, RequestedBlock requested,
			boolean deleteOnShutdown, ApplicationContext context) {
		PortReservation reservation;
		if (!restarting(context)) {
			reservation = BlockReserver.reserve(backend, requested);
		}
		else {
			RetainedBlocks.Kept kept = RetainedBlocks.take(backend.name(), requested);
			if (kept == null) {
				reservation = new ContextScopedReservation(BlockReserver.reserve(backend, requested), Map.of());
			}
			else {
				logger.info("Reusing " + BlockLog.describe(kept.reservation()) + ", kept across the devtools restart");
				reservation = new ContextScopedReservation(kept.reservation(), kept.ports());
			}
		}
		PortReservationLifecycle lifecycle = new PortReservationLifecycle(reservation, backend, deleteOnShutdown,
				requested);
		lifecycle.setApplicationContext(context);
		return lifecycle;
	}

	@Override
	public synchronized void setApplicationContext(ApplicationContext context) {
		if (this.context == context) {
			// Attached already by reserve(): the bean factory calls it again.
			return;
		}
		this.context = context;
		// Decided now, on the thread that starts the context: devtools closes it from
		// another thread, whose
		// context class loader a context without its own class loader would report at
		// that point.
		this.underDevtools = restarting(context);
		if (context instanceof ConfigurableApplicationContext configurable) {
			// Created after the refresh (injected lazily at run time): the context has
			// started already.
			this.started = configurable.isRunning();
			configurable.addApplicationListener((ApplicationListener<ContextRefreshedEvent>) (event) -> {
				// Child contexts (the management server) publish to their parent too:
				// only our own refresh counts.
				if (event.getApplicationContext() == this.context) {
					this.started = true;
				}
			});
			if (this.reservation instanceof ContextScopedReservation scoped) {
				// The servers stop after this event and before destroy(): note their
				// ports while they hold them.
				configurable.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> {
					if (event.getApplicationContext() == this.context) {
						this.portsAtClose = scoped.portsByOwner();
					}
				});
			}
		}
	}

	/**
	 * @return the reservation this lifecycle holds
	 */
	public PortReservation getReservation() {
		return this.reservation;
	}

	/**
	 * @return the backend the block was reserved through
	 */
	public PortReservations getBackend() {
		return this.backend;
	}

	/**
	 * @return whether the owning context finished its refresh
	 */
	public boolean isStarted() {
		return this.started;
	}

	/**
	 * Releases the block, or keeps it for devtools' next context. Idempotent: the bean
	 * factory and the named ports sharing this lifecycle may both call it.
	 */
	@Override
	public void destroy() {
		if (!this.destroyed.compareAndSet(false, true)) {
			return;
		}
		PortReservation block = (this.reservation instanceof ContextScopedReservation scoped) ? scoped.unwrap()
				: this.reservation;
		if (this.reservation instanceof ContextScopedReservation scoped) {
			scoped.detach();
		}
		if (this.started && this.requested != null && this.underDevtools && RetainedBlocks.retain(this.backend.name(),
				this.requested, block, this.portsAtClose, () -> release(block))) {
			logger.info("Keeping " + BlockLog.describe(block) + " for the context devtools restarts");
			return;
		}
		release(block);
	}

	private void release(PortReservation block) {
		boolean wasOpen = block.isOpen();
		boolean delete = shouldDelete();
		block.close();
		if (wasOpen && logger.isInfoEnabled()) {
			// A record about to be deleted is not said to stay: the delete's own line
			// follows.
			logger.info(delete ? "Released " + BlockLog.describe(block) : BlockLog.released(block));
		}
		if (delete) {
			try {
				this.backend.deletePersistent(block.protocol(), block.block());
				logger.info("Deleted persistent " + block.protocol() + " reservation " + block.block()
						+ ((this.started) ? "" : " after a failed startup"));
			}
			catch (PortReservationException ex) {
				logger.warn("Could not delete persistent reservation " + block.block()
						+ "; the persistent record stays: " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * @param context an application context
	 * @return whether the context runs under devtools' restart class loader, so closing
	 * it may be a restart
	 */
	static boolean restarting(ApplicationContext context) {
		ClassLoader loader = (context instanceof ConfigurableApplicationContext configurable)
				? configurable.getBeanFactory().getBeanClassLoader() : null;
		if (loader == null && context != null) {
			loader = context.getClassLoader();
		}
		return loader != null && RESTART_CLASS_LOADER.equals(loader.getClass().getName());
	}

	private boolean shouldDelete() {
		return this.reservation.kind() == ReservationKind.PERSISTENT && this.reservation.createdByThisProcess()
				&& (this.deleteOnShutdown || !this.started);
	}

}
