package dev.portreservation.portable;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;

class PortablePortReservationsTests extends PortReservationsContract<PortablePortReservations> {

	PortablePortReservationsTests() {
		super(PortablePortReservations::new);
	}

	@Override
	protected PortBlock freeBlock(int count) {
		// This backend holds a given block without probing it: check UDP here.
		PortBlock block = super.freeBlock(count);
		assertThat(PortablePortReservations.PortProbe.allFree(Protocol.UDP, block)).isTrue();
		return block;
	}

}
