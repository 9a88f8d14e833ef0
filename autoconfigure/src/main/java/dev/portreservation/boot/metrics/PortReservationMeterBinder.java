package dev.portreservation.boot.metrics;

import dev.portreservation.boot.LeaseOwner;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for reserved port blocks. Gauges read the live {@link PortReservation} through
 * its queries each time they are sampled (a scrape changes nothing and opens no socket);
 * counters and the bind timer are fed by a {@link PortReservationListener} added to each
 * reservation, so they count what happens from the moment the meters are bound.
 * <p>
 * Every meter carries the tags {@code reservation} (the bean name), {@code block} (such
 * as {@code "40000-40007"}), {@code protocol} ({@code tcp}, {@code udp}) and {@code kind}
 * ({@code runtime}, {@code persistent}); owners are reduced to {@link LeaseOwner} values
 * to keep tag cardinality bounded.
 */
public class PortReservationMeterBinder implements MeterBinder {

	/** Common prefix of every meter name. */
	public static final String PREFIX = "portreservation";

	static final String PORTS_MAX = PREFIX + ".ports.max";

	static final String PORTS_USED = PREFIX + ".ports.used";

	static final String PORTS_FREE = PREFIX + ".ports.free";

	static final String PORTS_UNHELD = PREFIX + ".ports.unheld";

	static final String RESERVATION_OPEN = PREFIX + ".reservation.open";

	static final String BINDS = PREFIX + ".binds";

	static final String BIND_LATENCY = PREFIX + ".bind.latency";

	static final String RELEASES = PREFIX + ".releases";

	private static final String PORTS = "ports";

	private final Map<String, PortReservation> reservations;

	/**
	 * @param reservations the reservations to meter, by bean name
	 */
	public PortReservationMeterBinder(Map<String, PortReservation> reservations) {
		this.reservations = new LinkedHashMap<>(reservations);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.reservations.forEach((name, reservation) -> new ReservationMeters(registry, name, reservation).bind());
	}

	/**
	 * @param reservation a reservation
	 * @param name its bean name
	 * @return the tags every meter of that reservation carries
	 */
	static Tags tags(String name, PortReservation reservation) {
		return Tags.of("reservation", name, "block", reservation.block().toString(), "protocol",
				lower(reservation.protocol()), "kind", lower(reservation.kind()));
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The meters of one reservation in one registry, and the listener that feeds them.
	 */
	private static final class ReservationMeters implements PortReservationListener {

		private final MeterRegistry registry;

		private final PortReservation reservation;

		private final Tags tags;

		ReservationMeters(MeterRegistry registry, String name, PortReservation reservation) {
			this.registry = registry;
			this.reservation = reservation;
			this.tags = tags(name, reservation);
		}

		void bind() {
			gauge(PORTS_MAX, "Ports in the reserved block", (r) -> r.block().count());
			gauge(PORTS_USED, "Ports of the block bound by open channels", PortReservation::portsInUse);
			gauge(PORTS_FREE, "Ports of the block free to bind", PortReservation::portsFree);
			gauge(PORTS_UNHELD, "Ports of the block the reservation should hold but does not right now",
					(r) -> r.unheldPorts().size());
			Gauge.builder(RESERVATION_OPEN, this.reservation, (r) -> r.isOpen() ? 1 : 0)
				.description("1 while the block is reserved, 0 once the reservation is closed or lost")
				.tags(this.tags)
				.register(this.registry);
			this.reservation.addListener(this);
		}

		private void gauge(String name, String description, ToDoubleFunction<PortReservation> value) {
			Gauge.builder(name, this.reservation, value)
				.description(description)
				.baseUnit(PORTS)
				.tags(this.tags)
				.register(this.registry);
		}

		@Override
		public void bound(PortLease lease, long nanos) {
			binds("success", "none", lease.owner()).increment();
			latency("success").record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void bindFailed(String owner, PortReservationException failure, long nanos) {
			binds("failure", lower(failure.getReason()), owner).increment();
			latency("failure").record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void released(PortLease lease) {
			Counter.builder(RELEASES)
				.description("Leased ports returned to the block because their channel was closed")
				.tags(this.tags)
				.tag("owner", LeaseOwner.of(lease.owner()).tagValue())
				.register(this.registry)
				.increment();
		}

		private Counter binds(String outcome, String reason, String owner) {
			return Counter.builder(BINDS)
				.description("Binds through the reservation, by outcome and failure reason")
				.tags(this.tags)
				.tag("outcome", outcome)
				.tag("reason", reason)
				.tag("owner", LeaseOwner.of(owner).tagValue())
				.register(this.registry);
		}

		private Timer latency(String outcome) {
			return Timer.builder(BIND_LATENCY)
				.description("Time a bind through the reservation took, retries included")
				.tags(this.tags)
				.tag("outcome", outcome)
				.register(this.registry);
		}

	}

}
