package dev.portreservation.boot.actuate.endpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.portreservation.boot.LeaseOwner;
import dev.portreservation.boot.windows.ExcludedRangeOverlaps;
import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code portreservations}: every {@link PortReservation} bean, read live: the block, who
 * binds which port of it (server, management, additional connectors, user code), the
 * backend and what the OS itself enforces for the block. The token is shown only when
 * {@code portreservation.endpoint.show-token} allows it. On Windows, the ranges the
 * system excludes that overlap the block are listed ({@code excludedRanges}, left out of
 * the answer when there are none, so nothing changes elsewhere).
 */
@Endpoint(id = "portreservations")
public class PortReservationsEndpoint {

	/** What the token reads when it is hidden. */
	static final String HIDDEN = "******";

	private final Map<String, PortReservation> reservations;

	private final Show showToken;

	private final Collection<String> roles;

	private final ExcludedRangeOverlaps excludedRanges;

	/**
	 * @param reservations the reservations, by bean name
	 * @param showToken when to show tokens
	 * @param roles roles that may see tokens when {@code showToken} is
	 * {@link Show#WHEN_AUTHORIZED}
	 */
	public PortReservationsEndpoint(Map<String, PortReservation> reservations, Show showToken,
			Collection<String> roles) {
		this(reservations, showToken, roles, ExcludedRangeOverlaps.none());
	}

	/**
	 * @param reservations the reservations, by bean name
	 * @param showToken when to show tokens
	 * @param roles roles that may see tokens when {@code showToken} is
	 * {@link Show#WHEN_AUTHORIZED}
	 * @param excludedRanges the Windows excluded ranges a block overlaps
	 * ({@link ExcludedRangeOverlaps#none()} off Windows)
	 */
	public PortReservationsEndpoint(Map<String, PortReservation> reservations, Show showToken, Collection<String> roles,
			ExcludedRangeOverlaps excludedRanges) {
		this.reservations = new LinkedHashMap<>(reservations);
		this.showToken = showToken;
		this.roles = List.copyOf(roles);
		this.excludedRanges = excludedRanges;
	}

	@ReadOperation
	public PortReservationsDescriptor reservations(SecurityContext securityContext) {
		boolean showToken = this.showToken.isShown(securityContext, this.roles);
		Map<String, ReservationDescriptor> described = new LinkedHashMap<>();
		this.reservations.forEach((name, reservation) -> described.put(name, describe(reservation, showToken)));
		return new PortReservationsDescriptor(described);
	}

	@ReadOperation
	public ReservationDescriptor reservation(SecurityContext securityContext, @Selector String name) {
		PortReservation reservation = this.reservations.get(name);
		return (reservation != null) ? describe(reservation, this.showToken.isShown(securityContext, this.roles))
				: null;
	}

	private ReservationDescriptor describe(PortReservation reservation, boolean showToken) {
		List<PortLease> leases = reservation.leases();
		List<LeaseDescriptor> ports = new ArrayList<>(leases.size());
		for (PortLease lease : leases) {
			ports.add(new LeaseDescriptor(lease.port(), lease.owner(), LeaseOwner.of(lease.owner()).tagValue(),
					lease.since()));
		}
		int count = reservation.block().count();
		return new ReservationDescriptor(reservation.block().toString(), reservation.block().startPort(),
				reservation.block().endPort(), count, reservation.protocol(), reservation.kind(), reservation.backend(),
				reservation.enforcement(), reservation.isOpen(), reservation.createdByThisProcess(), leases.size(),
				count - leases.size(), reservation.unheldPorts(),
				showToken ? Long.toUnsignedString(reservation.token()) : HIDDEN, ports,
				this.excludedRanges.of(reservation).stream().map(ExcludedRangeOverlaps::describe).toList());
	}

	/**
	 * The endpoint's answer: every reservation by bean name.
	 *
	 * @param reservations the reservations
	 */
	public record PortReservationsDescriptor(
			Map<String, ReservationDescriptor> reservations) implements OperationResponseBody {

	}

	/**
	 * One reserved block.
	 *
	 * @param block the range, such as {@code "40000-40007"}
	 * @param startPort its first port
	 * @param endPort its last port
	 * @param count its number of ports
	 * @param protocol TCP or UDP
	 * @param kind runtime or persistent
	 * @param backend the platform backend, such as {@code "linux"}
	 * @param enforcement what the OS itself enforces for the block (see
	 * {@link Enforcement})
	 * @param open whether the block is still reserved
	 * @param createdByThisProcess whether this process created the block rather than
	 * finding it
	 * @param portsInUse ports bound right now
	 * @param portsFree ports free right now
	 * @param unheldPorts ports the reservation should hold but does not right now
	 * (retried)
	 * @param token the OS token (unsigned), or {@code "******"} when hidden
	 * @param leases the bound ports, ordered by port
	 * @param excludedRanges on Windows, the excluded ranges other than the block's own
	 * row that overlap it ({@code range}, {@code start}, {@code end},
	 * {@code administered}, {@code holder}); empty, and left out of the answer, when
	 * there are none
	 */
	public record ReservationDescriptor(String block, int startPort, int endPort, int count, Protocol protocol,
			ReservationKind kind, String backend, Enforcement enforcement, boolean open, boolean createdByThisProcess,
			int portsInUse, int portsFree, List<Integer> unheldPorts, String token, List<LeaseDescriptor> leases,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Map<String, Object>> excludedRanges)
			implements
				OperationResponseBody {

		/**
		 * A descriptor without excluded ranges (off Windows).
		 */
		public ReservationDescriptor(String block, int startPort, int endPort, int count, Protocol protocol,
				ReservationKind kind, String backend, Enforcement enforcement, boolean open,
				boolean createdByThisProcess, int portsInUse, int portsFree, List<Integer> unheldPorts, String token,
				List<LeaseDescriptor> leases) {
			this(block, startPort, endPort, count, protocol, kind, backend, enforcement, open, createdByThisProcess,
					portsInUse, portsFree, unheldPorts, token, leases, List.of());
		}

	}

	/**
	 * A bound port.
	 *
	 * @param port the port
	 * @param owner the owner label given at bind time
	 * @param ownerType {@code server}, {@code management}, {@code connector} or
	 * {@code application}
	 * @param since when it was bound
	 */
	public record LeaseDescriptor(int port, String owner, String ownerType, Instant since) {

	}

}
