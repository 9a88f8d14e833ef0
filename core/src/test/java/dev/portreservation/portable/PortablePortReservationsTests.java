package dev.portreservation.portable;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;

class PortablePortReservationsTests extends PortReservationsContract {

	private final PortablePortReservations backend = new PortablePortReservations();

	@Override
	protected PortReservations backend() {
		return this.backend;
	}

	@Override
	protected PortBlock freeBlock(int count) {
		// This backend holds a given block without probing it: check UDP here.
		PortBlock block = super.freeBlock(count);
		assertThat(PortablePortReservations.PortProbe.allFree(Protocol.UDP, block)).isTrue();
		return block;
	}

}
