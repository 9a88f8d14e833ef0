package dev.portreservation.linux;

import java.io.IOException;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.core.internal.ExplicitBindPortReservation;
import dev.portreservation.core.internal.PortLender;
import dev.portreservation.core.internal.ProbingPortLender;

/**
 * A persistent block opened by this process. The kernel keeps the block out of automatic
 * port assignment ({@code ip_local_reserved_ports}); channels bind explicit ports of it,
 * and a port another process sharing the block has bound is skipped. Closing releases
 * nothing: the block stays recorded until it is deleted.
 */
final class PersistentBlockReservation extends ExplicitBindPortReservation {

	private final long token;

	private final PersistentBlockStore store;

	private final PortLender lender;

	PersistentBlockReservation(LinuxPortReservations backend, PortBlock block, Protocol protocol, long token,
			boolean createdByThisProcess, PersistentBlockStore store) {
		super(backend, block, protocol, ReservationKind.PERSISTENT, createdByThisProcess);
		this.token = token;
		this.store = store;
		this.lender = new ProbingPortLender(protocol) {

			@Override
			public boolean verify(int port) throws IOException {
				return LentPortCheck.componentBound(protocol, block, port, 0);
			}

		};
	}

	@Override
	public long token() {
		return this.token;
	}

	/**
	 * @return the records of this namespace the store found damaged and set aside, with
	 * their paths
	 */
	@Override
	public List<String> warnings() {
		return this.store.setAside();
	}

	/**
	 * Lends a port no socket has (an exclusive probe bind); no socket of this reservation
	 * holds a persistent block's port, so every socket of this process on a lent port is
	 * the component's, and the kernel's socket list says whose the others are.
	 */
	@Override
	protected PortLender lender() {
		return this.lender;
	}

	@Override
	protected void release() {
		// The block outlives the reservation object; deletePersistent removes it.
	}

}
