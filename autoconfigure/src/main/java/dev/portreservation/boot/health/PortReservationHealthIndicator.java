package dev.portreservation.boot.health;

import java.util.List;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.windows.ExcludedRangeOverlaps;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservationListener;
import dev.portreservation.windows.ExcludedPortRange;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one reserved block, read from the live reservation on every check.
 * <ul>
 * <li>DOWN when the reservation was closed or lost.</li>
 * <li>DOWN when the block is exhausted: a bind was refused because no port of it was
 * free, and no port has come back since (a release or a successful bind ends it). A block
 * that is merely full, say two ports for the server and the management server, is the
 * normal state of a block sized for its users, so it stays UP with a warning until
 * someone actually misses a port.</li>
 * <li>Otherwise UP, with a {@code warning} detail once the free ports fall to the
 * threshold; except a block filled by design, whose every port is taken by the
 * application's own servers (one port for the server, two for the server and the
 * management server): UP without a warning.</li>
 * </ul>
 * Ports the reservation should hold but does not right now
 * ({@link PortReservation#unheldPorts()}) are listed in the {@code unheldPorts} detail
 * with a warning, whatever the status. Everything is read through queries: a health check
 * changes nothing and opens no socket. Details also say what the OS enforces
 * ({@code enforcement}) and list state the backend found damaged and set aside
 * ({@code setAside}, for example a corrupt persistent block record, with its path).
 * <p>
 * On Windows, ranges the system excludes that overlap the block (other than the block's
 * own row) are listed in the {@code excludedRanges} detail with a warning: binds into a
 * range the system holds fail with {@code WSAEACCES}. The status does not change for it:
 * ports already bound keep serving, and a bind that finds no port makes the block
 * exhausted as above. The ranges are read through a source that runs netsh at most once
 * per refresh interval, never once per check.
 */
public class PortReservationHealthIndicator extends AbstractHealthIndicator implements PortReservationListener {

	private final PortReservation reservation;

	private final int freePortsWarningThreshold;

	private final boolean downWhenExhausted;

	private final ExcludedRangeOverlaps excludedRanges;

	private volatile PortReservationException refusal;

	/**
	 * Creates the indicator and starts listening to the reservation's binds.
	 * @param reservation the reservation to check
	 * @param freePortsWarningThreshold free ports at or below which a warning detail is
	 * added, 0 for none
	 * @param downWhenExhausted whether an exhausted block is DOWN
	 */
	public PortReservationHealthIndicator(PortReservation reservation, int freePortsWarningThreshold,
			boolean downWhenExhausted) {
		this(reservation, freePortsWarningThreshold, downWhenExhausted, ExcludedRangeOverlaps.none());
	}

	/**
	 * Creates the indicator and starts listening to the reservation's binds.
	 * @param reservation the reservation to check
	 * @param freePortsWarningThreshold free ports at or below which a warning detail is
	 * added, 0 for none
	 * @param downWhenExhausted whether an exhausted block is DOWN
	 * @param excludedRanges the Windows excluded ranges the block overlaps
	 * ({@link ExcludedRangeOverlaps#none()} off Windows)
	 */
	public PortReservationHealthIndicator(PortReservation reservation, int freePortsWarningThreshold,
			boolean downWhenExhausted, ExcludedRangeOverlaps excludedRanges) {
		super("Port reservation health check failed");
		this.reservation = reservation;
		this.freePortsWarningThreshold = freePortsWarningThreshold;
		this.downWhenExhausted = downWhenExhausted;
		this.excludedRanges = excludedRanges;
		reservation.addListener(this);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		int count = this.reservation.block().count();
		// A refusal is cleared by the release of a port, which the library's scheduled
		// refresh notices within a
		// second of the channel's close; the check itself changes nothing.
		int inUse = this.reservation.portsInUse();
		List<Integer> unheld = this.reservation.unheldPorts();
		int free = count - inUse;
		PortReservationException refused = this.refusal;
		builder.withDetail("block", this.reservation.block().toString())
			.withDetail("protocol", this.reservation.protocol())
			.withDetail("kind", this.reservation.kind())
			.withDetail("enforcement", this.reservation.enforcement())
			.withDetail("portsInUse", inUse)
			.withDetail("portsFree", free);
		if (!unheld.isEmpty()) {
			builder.withDetail("unheldPorts", unheld);
		}
		List<ExcludedPortRange> excluded = this.excludedRanges.of(this.reservation);
		if (!excluded.isEmpty()) {
			builder.withDetail("excludedRanges", excluded.stream().map(ExcludedRangeOverlaps::describe).toList());
		}
		// Damaged state the backend set aside: worth a look, but the block itself still
		// works.
		List<String> warnings = this.reservation.warnings();
		if (!warnings.isEmpty()) {
			builder.withDetail("setAside", warnings);
		}
		if (!this.reservation.isOpen()) {
			builder.down()
				.withDetail("reason", "The reservation of block " + this.reservation.block()
						+ " was closed or lost: new binds through it fail");
		}
		else if (refused != null && this.downWhenExhausted) {
			builder.down()
				.withDetail("reason",
						"Block " + this.reservation.block() + " is exhausted: a bind was refused ("
								+ refused.getMessage()
								+ ") and no port has come free since; release ports or reserve a larger block");
		}
		else {
			builder.up();
			if (free <= 0 && filledByDesign() && excluded.isEmpty()) {
				// Sized for exactly the application's own servers: full is the intended
				// state, not a risk.
				return;
			}
			String warning = null;
			if (free <= 0) {
				warning = "All " + count + " ports of block " + this.reservation.block()
						+ " are in use: the next bind will be refused";
			}
			else if (free <= this.freePortsWarningThreshold) {
				warning = "Only " + free + " of " + count + " ports of block " + this.reservation.block() + " are free";
			}
			if (!unheld.isEmpty()) {
				String unheldWarning = "Ports " + unheld + " of block " + this.reservation.block() + " are not held: "
						+ "other processes can bind them until they are held again (retried every second)";
				warning = (warning != null) ? warning + "; " + unheldWarning : unheldWarning;
			}
			if (!excluded.isEmpty()) {
				String excludedWarning = ExcludedRangeOverlaps.warning(this.reservation.block(), excluded);
				warning = (warning != null) ? warning + "; " + excludedWarning : excludedWarning;
			}
			if (warning != null) {
				builder.withDetail("warning", warning);
			}
		}
	}

	// Every port is a listening socket of the application's own servers (server,
	// management, connectors).
	private boolean filledByDesign() {
		return this.reservation.leases()
			.stream()
			.allMatch((lease) -> LeaseOwner.of(lease.owner()) != LeaseOwner.APPLICATION);
	}

	@Override
	public void bound(PortLease lease, long nanos) {
		this.refusal = null;
	}

	@Override
	public void bindFailed(String owner, PortReservationException failure, long nanos) {
		if (failure.getReason() == Reason.EXHAUSTED) {
			this.refusal = failure;
		}
	}

	@Override
	public void released(PortLease lease) {
		this.refusal = null;
	}

}
