package dev.portreservation.core;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortReservationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

class PortReservationExceptionTests {

	@Test
	void messageCarriesReasonProtocolBlockAndNativeCode() {
		PortReservationException ex = new PortReservationException(Reason.ACCESS_DENIED, "Create failed",
				new PortBlock(40000, 4), Protocol.UDP, 5L, null);
		assertThat(ex.getMessage()).isEqualTo("Create failed [ACCESS_DENIED UDP block 40000-40003, native code 5]");
		assertThat(ex.getNativeCode()).contains(5L);
		assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
	}

	@Test
	void messageWithoutDetailsNamesOnlyTheReason() {
		PortReservationException ex = new PortReservationException(Reason.INVALID, "Closed");
		assertThat(ex.getMessage()).isEqualTo("Closed [INVALID]");
		assertThat(ex.getNativeCode()).isEmpty();
		assertThat(ex.getBlock()).isEmpty();
		assertThat(ex.getProtocol()).isEmpty();
	}

	@Test
	void backendIsChosenByOperatingSystemName() {
		assertThat(PlatformBackends.backendClassFor("Windows 11")).isEqualTo(PlatformBackends.WINDOWS);
		assertThat(PlatformBackends.backendClassFor("Windows Server 2022")).isEqualTo(PlatformBackends.WINDOWS);
		assertThat(PlatformBackends.backendClassFor("Linux")).isEqualTo(PlatformBackends.LINUX);
		assertThat(PlatformBackends.backendClassFor("Mac OS X")).isEqualTo(PlatformBackends.PORTABLE);
		assertThat(PlatformBackends.backendClassFor("FreeBSD")).isEqualTo(PlatformBackends.PORTABLE);
		assertThat(PlatformBackends.forOs("SunOS")).isInstanceOf(dev.portreservation.portable.PortablePortReservations.class);
	}

}
