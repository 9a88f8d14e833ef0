package dev.portreservation.core;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The failure a call must end with, for the tests that go on to check its fields and
 * message.
 */
public final class ExpectedFailures {

	private ExpectedFailures() {
	}

	/**
	 * @param call a call that must fail
	 * @return the {@link PortReservationException} it threw; the test fails when it threw
	 * nothing or something else
	 */
	public static PortReservationException failure(ThrowingCallable call) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).isInstanceOf(PortReservationException.class);
		return (PortReservationException) thrown;
	}

}
