package dev.portreservation.boot.reservation;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservationListener;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * One context's view of a block that may outlive the context (a devtools restart): the
 * listeners the context's meters and health indicator add are removed when the context
 * closes, so a block handed to the next context does not keep the old context's objects
 * reachable; and an owner that asks for any free port (the server with
 * {@code server.port} unset) first gets the port the same owner had before the restart,
 * so the browser tab pointing at it keeps working.
 */
final class ContextScopedReservation implements PortReservation {

	private final PortReservation block;

	private final List<PortReservationListener> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Integer> previousPorts;

	ContextScopedReservation(PortReservation block, Map<String, Integer> previousPorts) {
		this.block = block;
		this.previousPorts = Map.copyOf(previousPorts);
	}

	/**
	 * @return the port each owner holds right now
	 */
	Map<String, Integer> portsByOwner() {
		Map<String, Integer> ports = new HashMap<>();
		this.block.leases().forEach((lease) -> ports.putIfAbsent(lease.owner(), lease.port()));
		return ports;
	}

	/**
	 * @return the reservation this view delegates to
	 */
	PortReservation unwrap() {
		return this.block;
	}

	/** Removes the listeners added through this view. */
	void detach() {
		this.listeners.forEach(this.block::removeListener);
		this.listeners.clear();
	}

	@Override
	public PortBlock block() {
		return this.block.block();
	}

	@Override
	public Protocol protocol() {
		return this.block.protocol();
	}

	@Override
	public ReservationKind kind() {
		return this.block.kind();
	}

	@Override
	public long token() {
		return this.block.token();
	}

	@Override
	public boolean createdByThisProcess() {
		return this.block.createdByThisProcess();
	}

	@Override
	public String backend() {
		return this.block.backend();
	}

	@Override
	public Enforcement enforcement() {
		return this.block.enforcement();
	}

	@Override
	public List<String> warnings() {
		return this.block.warnings();
	}

	@Override
	public List<Integer> unheldPorts() {
		return this.block.unheldPorts();
	}

	@Override
	public void refresh() {
		this.block.refresh();
	}

	@Override
	public LentPort lend(String name, IntPredicate eligible) {
		return this.block.lend(name, eligible);
	}

	@Override
	public boolean isOpen() {
		return this.block.isOpen();
	}

	@Override
	public List<PortLease> leases() {
		return this.block.leases();
	}

	@Override
	public int bind(ServerSocketChannel channel, InetSocketAddress local, int backlog, String owner) {
		Integer previous = previousPort(local, owner);
		if (previous != null) {
			try {
				return this.block.bind(channel, new InetSocketAddress(local.getAddress(), previous), backlog, owner);
			}
			catch (PortReservationException ex) {
				if (ex.getReason() != Reason.CONFLICT) {
					throw ex;
				}
				// Taken by someone else since the restart: any free port, as asked.
			}
		}
		return this.block.bind(channel, local, backlog, owner);
	}

	private Integer previousPort(InetSocketAddress local, String owner) {
		if (local == null || local.getPort() != 0) {
			return null;
		}
		Integer previous = this.previousPorts.get(owner);
		if (previous == null || this.block.leases().stream().anyMatch((lease) -> lease.port() == previous)) {
			return null;
		}
		return previous;
	}

	@Override
	public int bind(DatagramChannel channel, InetSocketAddress local, String owner) {
		return this.block.bind(channel, local, owner);
	}

	@Override
	public void addListener(PortReservationListener listener) {
		this.listeners.add(listener);
		this.block.addListener(listener);
	}

	@Override
	public void removeListener(PortReservationListener listener) {
		this.listeners.remove(listener);
		this.block.removeListener(listener);
	}

	@Override
	public void close() {
		this.block.close();
	}

	@Override
	public String toString() {
		return this.block.toString();
	}

}
