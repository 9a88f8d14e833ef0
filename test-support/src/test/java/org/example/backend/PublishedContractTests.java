package org.example.backend;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.test.PortReservationsContract;

/**
 * The published suite used as a backend outside the project uses it: from a package of
 * its own, through the jar's public and protected members only. The backend under test is
 * the portable one; the platform backends run the same suite in portreservation-core's
 * tests.
 */
class PublishedContractTests extends PortReservationsContract {

	private final PortablePortReservations backend = new PortablePortReservations();

	@Override
	protected PortReservations backend() {
		return this.backend;
	}

	@Override
	protected PortBlock freeBlock(int count) {
		// A block the backend picks is one nobody uses; hand it back and test on its
		// first
		// half, so that the suite's overlapping blocks right after it stay below port
		// 65535.
		try (var probe = this.backend.acquireRuntime(Protocol.TCP, 2 * count)) {
			return new PortBlock(probe.block().startPort(), count);
		}
	}

}
