package dev.portreservation.linux;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Who has a lent port, from the kernel's socket list ({@link KernelSockets}): a live
 * socket of another process is a {@code CONFLICT}; a socket of this process beyond the
 * reservation's own holders is the component.
 */
final class LentPortCheck {

	private LentPortCheck() {
	}

	/**
	 * @param protocol the block's protocol
	 * @param block the block
	 * @param port the lent port
	 * @param holders how many holder sockets of the reservation are on the port right now
	 * @return whether a socket of this process other than the holders is on the port;
	 * where the kernel does not list bound-only TCP sockets (before Linux 6.5), only once
	 * the component listens or has connections
	 * @throws PortReservationException {@code CONFLICT} naming the other process's
	 * sockets
	 * @throws IOException when this process's sockets cannot be read
	 */
	static boolean componentBound(Protocol protocol, PortBlock block, int port, int holders) throws IOException {
		KernelSockets.Listing listing = KernelSockets.read(protocol, new PortBlock(port, 1));
		Set<Long> own = KernelSockets.ownInodes();
		List<ProcNetSockets.Entry> foreign = listing.foreign(own);
		if (!foreign.isEmpty()) {
			throw strangers(protocol, block, port, foreign, "lent");
		}
		int ours = listing.ours(own).size();
		// Bound-only holders are listed only where the list is complete.
		return ours > (listing.complete() ? holders : 0);
	}

	/**
	 * @param protocol the protocol
	 * @param block the block
	 * @param port the port
	 * @param foreign live sockets of other processes on it
	 * @param what how the port is used ("lent", "held"), for the message
	 * @return a {@code CONFLICT} naming them
	 */
	static PortReservationException strangers(Protocol protocol, PortBlock block, int port,
			List<ProcNetSockets.Entry> foreign, String what) {
		List<PortHolder> named = LinuxPortHolders.named(protocol, foreign);
		return PortReservationException
			.builder(Reason.CONFLICT,
					"Port " + port + " of the block (" + what + ") is also bound by another process"
							+ PortHolder.describeAll(named) + "; stop it or choose another block")
			.block(block)
			.protocol(protocol)
			.port(port)
			.problem(PortReservationException.Problem.PORT_IN_USE)
			.operation(PortReservationException.Operation.LEND)
			.backend(LinuxPortReservations.NAME)
			.holders(named)
			.build();
	}

}
