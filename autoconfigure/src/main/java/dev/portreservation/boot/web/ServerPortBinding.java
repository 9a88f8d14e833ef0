package dev.portreservation.boot.web;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * How one listening socket of an embedded server binds through the reservation: the
 * reservation, the owner label of the lease, and where its port was configured (for error
 * messages).
 */
public final class ServerPortBinding {

	private static final String START_PORT = "portreservation.start-port";

	private static final String SERVER_PORT = "server.port";

	// A block moved to hold ports far apart would hold every port between them: advised
	// only up to this size.
	private static final int MOVED_BLOCK_MAX_COUNT = 64;

	private final PortReservation reservation;

	private final String owner;

	private final String portSource;

	private final Set<Integer> claimedPorts;

	/**
	 * Where a block the operating system chose was placed (the {@code blockPlacedBy} of
	 * such a block).
	 */
	public static final String OPERATING_SYSTEM = "the operating system";

	private final String blockPlacedBy;

	/**
	 * @param reservation the reserved block
	 * @param owner the owner label of the lease, such as {@code "server"}
	 * @param portSource where the port was configured, such as {@code "server.port"}
	 */
	public ServerPortBinding(PortReservation reservation, String owner, String portSource) {
		this(reservation, owner, portSource, Set.of(), null);
	}

	/**
	 * @param reservation the reserved block
	 * @param owner the owner label of the lease, such as {@code "server"}
	 * @param portSource where the port was configured, such as {@code "server.port"}
	 * @param claimedPorts ports another server asks for by property, left alone when this
	 * socket takes any free port of the block
	 * @param blockChosenByOperatingSystem whether the operating system picked the block
	 * (so it differs on every start, and advice must not name its range)
	 */
	public ServerPortBinding(PortReservation reservation, String owner, String portSource, Set<Integer> claimedPorts,
			boolean blockChosenByOperatingSystem) {
		this(reservation, owner, portSource, claimedPorts, blockChosenByOperatingSystem ? OPERATING_SYSTEM : null);
	}

	/**
	 * @param reservation the reserved block
	 * @param owner the owner label of the lease, such as {@code "server"}
	 * @param portSource where the port was configured, such as {@code "server.port"}
	 * @param claimedPorts ports another server asks for by property, left alone when this
	 * socket takes any free port of the block
	 * @param blockPlacedBy the property whose value is the block's first port
	 * ({@code portreservation.start-port} or {@code server.port}),
	 * {@link #OPERATING_SYSTEM} when the operating system chose the block (so it differs
	 * on every start, and advice must not name its range), {@code null} when not known (a
	 * block of the application's own)
	 */
	public ServerPortBinding(PortReservation reservation, String owner, String portSource, Set<Integer> claimedPorts,
			String blockPlacedBy) {
		this.reservation = reservation;
		this.owner = owner;
		this.portSource = portSource;
		this.claimedPorts = Set.copyOf(claimedPorts);
		this.blockPlacedBy = blockPlacedBy;
	}

	/**
	 * @param owner another owner label
	 * @param portSource where that socket's port was configured
	 * @return a binding for another socket of the same server
	 */
	public ServerPortBinding forSocket(String owner, String portSource) {
		return new ServerPortBinding(this.reservation, owner, portSource, this.claimedPorts, this.blockPlacedBy);
	}

	/**
	 * @return the reservation
	 */
	public PortReservation reservation() {
		return this.reservation;
	}

	/**
	 * @return the owner label of the lease
	 */
	public String owner() {
		return this.owner;
	}

	/**
	 * Checks, before the server starts, that the reservation can serve it and that the
	 * configured port may be asked of the block.
	 * @param port the configured port: 0 for any free port of the block, otherwise a port
	 * inside it
	 * @throws PortReservationSetupException naming the property and the fix otherwise
	 */
	public void checkPort(int port) {
		PortBlock block = this.reservation.block();
		if (this.reservation.protocol() != Protocol.TCP) {
			throw new PortReservationSetupException(Reason.UNSUPPORTED,
					"The embedded web server ('" + this.owner + "') needs a TCP block, but the reserved block is "
							+ this.reservation.protocol(),
					block, this.reservation.protocol(), "Set portreservation.protocol=tcp, or set "
							+ "portreservation.server.enabled=false to keep the web server off the block.");
		}
		if (port != 0 && !block.contains(port)) {
			if (OPERATING_SYSTEM.equals(this.blockPlacedBy) && port > 0) {
				// The range differs on every start: name a placement that holds on the
				// next one.
				int start = Math.min(port, PortBlock.MAX_PORT - block.count() + 1);
				throw new PortReservationSetupException(Reason.INVALID,
						this.portSource + "=" + port + " lies outside the reserved block " + block
								+ ", which the operating system chose (portreservation.start-port is not set)",
						block, this.reservation.protocol(),
						"Set portreservation.start-port=" + start + " to reserve block "
								+ new PortBlock(start, block.count()) + ", or set " + this.portSource
								+ "=0 to take any free port of the block.");
			}
			String placed = placedByText(block);
			throw new PortReservationSetupException(Reason.INVALID,
					this.portSource + "=" + port + " lies outside the reserved block " + block + placed, block,
					this.reservation.protocol(),
					"Set " + this.portSource + " to a port between " + block.startPort() + " and " + block.endPort()
							+ ", or to 0 (or leave it unset) to take any free port of the block."
							+ ((port > 0 && !placed.isEmpty()) ? movedBlockAction(block, port) : ""));
		}
	}

	/**
	 * @return where the block's start came from, for the description, such as
	 * {@code ", which portreservation.start-port=40000 placed"}; empty when not known
	 */
	private String placedByText(PortBlock block) {
		if (START_PORT.equals(this.blockPlacedBy)) {
			return ", which " + START_PORT + "=" + block.startPort() + " placed";
		}
		if (SERVER_PORT.equals(this.blockPlacedBy)) {
			return ", which " + SERVER_PORT + "=" + block.startPort() + " placed (" + START_PORT + " is not set)";
		}
		return "";
	}

	// The other way to the asked port: move the block with the property that places it,
	// so that it holds this port and the port the other server's property asks for.
	private String movedBlockAction(PortBlock block, int port) {
		List<Integer> wanted = new ArrayList<>(this.claimedPorts);
		wanted.add(port);
		Collections.sort(wanted);
		int low = wanted.get(0);
		int high = wanted.get(wanted.size() - 1);
		String ports = wanted.stream()
			.map((wantedPort) -> (wantedPort == port) ? this.portSource + "=" + port : "port " + wantedPort)
			.collect(Collectors.joining(" and "));
		int count = Math.max(block.count(), high - low + 1);
		if (count > MOVED_BLOCK_MAX_COUNT) {
			return " Or place the block with " + START_PORT + " and portreservation.count so that it holds " + ports
					+ ".";
		}
		int start = Math.min(low, PortBlock.MAX_PORT - count + 1);
		String action = " Or set " + START_PORT + "=" + start
				+ ((count != block.count()) ? " and portreservation.count=" + count : "") + " (block "
				+ new PortBlock(start, count) + ") so that the block holds " + ports;
		if (SERVER_PORT.equals(this.portSource) && START_PORT.equals(this.blockPlacedBy)
				&& this.claimedPorts.isEmpty()) {
			return action + ", or remove " + START_PORT + " so that " + SERVER_PORT + " places the block.";
		}
		return action + ".";
	}

	/**
	 * Binds a server's listening channel to a port of the block.
	 * @param channel the unbound channel
	 * @param requested the address the server asked for; port 0 takes any free port of
	 * the block
	 * @param backlog the listen backlog
	 * @return the bound port
	 */
	public int bind(ServerSocketChannel channel, InetSocketAddress requested, int backlog) {
		checkPort(requested.getPort());
		try {
			if (requested.getPort() == 0 && this.claimedPorts.stream().anyMatch(this.reservation.block()::contains)) {
				return bindAvoidingClaimedPorts(channel, requested, backlog);
			}
			return this.reservation.bind(channel, requested, backlog, this.owner);
		}
		catch (PortReservationException ex) {
			if (ex.getReason() == Reason.EXHAUSTED) {
				throw exhausted(ex);
			}
			throw ex;
		}
	}

	// Any free port, but not one another server's property asks for: the first free one,
	// in order.
	private int bindAvoidingClaimedPorts(ServerSocketChannel channel, InetSocketAddress requested, int backlog) {
		Set<Integer> leased = this.reservation.leases().stream().map(PortLease::port).collect(Collectors.toSet());
		PortBlock block = this.reservation.block();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			if (!this.claimedPorts.contains(port) && !leased.contains(port)) {
				try {
					return this.reservation.bind(channel, new InetSocketAddress(requested.getAddress(), port), backlog,
							this.owner);
				}
				catch (PortReservationException ex) {
					if (ex.getReason() != Reason.CONFLICT) {
						throw ex;
					}
					// Taken since we looked: try the next one.
				}
			}
		}
		throw exhausted(null);
	}

	// Says who was left without a port and who holds the block, so the fix can name a
	// count.
	private PortReservationSetupException exhausted(PortReservationException ex) {
		PortBlock block = this.reservation.block();
		List<PortLease> leases = this.reservation.leases();
		String holders = leases.isEmpty() ? "none by this application"
				: leases.stream()
					.map((lease) -> lease.port() + " '" + lease.owner() + "'")
					.collect(Collectors.joining(", ", "this application's: ", ""));
		List<Integer> kept = this.claimedPorts.stream()
			.filter(block::contains)
			.filter((port) -> leases.stream().noneMatch((lease) -> lease.port() == port))
			.toList();
		String all = (block.count() == 1) ? "its only port is in use" : "all " + block.count() + " ports are in use";
		String taken = kept.isEmpty() ? all
				: "every port in use or kept for the other server's port property (" + kept + ")";
		return new PortReservationSetupException(Reason.EXHAUSTED,
				"No free port of the block for '"
						+ this.owner + "' (" + this.portSource + "): " + taken + " (" + holders + ")",
				block, this.reservation.protocol(),
				"Raise portreservation.count to at least " + (leases.size() + 1 + kept.size())
						+ " (the server, a management server on its own port and each additional connector take a "
						+ "port each), or stop what holds ports of the block.",
				ex);
	}

	@Override
	public String toString() {
		return "'" + this.owner + "' (" + this.portSource + ") through " + this.reservation;
	}

}
