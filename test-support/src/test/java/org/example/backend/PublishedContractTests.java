package org.example.backend;

import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.test.PortReservationsContract;

/**
 * The published suite used as a backend outside the project uses it: from a package of
 * its own, through the jar's public and protected members only. The backend under test is
 * the portable one, with the suite's own way to find a free block; the platform backends
 * run the same suite in portreservation-core's tests.
 */
class PublishedContractTests extends PortReservationsContract<PortablePortReservations> {

	PublishedContractTests() {
		super(PortablePortReservations::new);
	}

}
