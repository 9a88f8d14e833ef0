package dev.portreservation.linux;

import dev.portreservation.core.ExplicitBindPortReservation;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * A persistent block opened by this process. The kernel keeps the block out of automatic port assignment
 * ({@code ip_local_reserved_ports}); channels bind explicit ports of it, and a port another process sharing
 * the block has bound is skipped. Closing releases nothing: the block stays recorded until it is deleted.
 */
final class PersistentBlockReservation extends ExplicitBindPortReservation {

	private final long token;

	PersistentBlockReservation(PortBlock block, Protocol protocol, long token, boolean createdByThisProcess) {
		super(block, protocol, ReservationKind.PERSISTENT, createdByThisProcess);
		this.token = token;
	}

	@Override
	public long token() {
		return this.token;
	}

	@Override
	public String backend() {
		return LinuxPortReservations.NAME;
	}

	@Override
	public boolean kernelEnforced() {
		return true;
	}

	@Override
	protected void release() {
		// The block outlives the reservation object; deletePersistent removes it.
	}

}
