package dev.portreservation.core;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortReservationException.Reason;

import static org.assertj.core.api.Assertions.assertThat;

class PortReservationExceptionTests {

	@Test
	void messageCarriesReasonProtocolBlockAndNativeCode() {
		PortReservationException ex = PortReservationException.builder(Reason.ACCESS_DENIED, "Create failed")
			.block(new PortBlock(40000, 4))
			.protocol(Protocol.UDP)
			.nativeCode(5L)
			.build();
		assertThat(ex.getMessage()).isEqualTo("Create failed [ACCESS_DENIED UDP block 40000-40003, native code 5]");
		assertThat(ex.getNativeCode()).contains(5L);
		assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
	}

	@Test
	void messageWithoutDetailsNamesOnlyTheReason() {
		PortReservationException ex = PortReservationException.builder(Reason.INVALID, "Closed").build();
		assertThat(ex.getMessage()).isEqualTo("Closed [INVALID]");
		assertThat(ex.getNativeCode()).isEmpty();
		assertThat(ex.getBlock()).isEmpty();
		assertThat(ex.getProtocol()).isEmpty();
	}

	@Test
	void backendIsChosenByOperatingSystemName() {
		assertThat(BackendType.forOs("Windows 11")).isEqualTo(BackendType.WINDOWS);
		assertThat(BackendType.forOs("Windows Server 2022")).isEqualTo(BackendType.WINDOWS);
		assertThat(BackendType.forOs("Linux")).isEqualTo(BackendType.LINUX);
		assertThat(BackendType.forOs("Mac OS X")).isEqualTo(BackendType.PORTABLE);
		assertThat(BackendType.forOs("FreeBSD")).isEqualTo(BackendType.PORTABLE);
		assertThat(PortReservations.create(BackendType.forOs("SunOS"), BackendSettings.defaults()))
			.isInstanceOf(dev.portreservation.portable.PortablePortReservations.class);
	}

	@Test
	void typedFieldsTravelWithTheExceptionAndTheMessageStaysForPeople() throws Exception {
		java.net.InetAddress address = java.net.InetAddress.getByName("192.0.2.1");
		PortReservationException ex = PortReservationException.builder(Reason.INVALID, "Cannot bind")
			.block(new PortBlock(40000, 4))
			.protocol(Protocol.TCP)
			.operation(PortReservationException.Operation.BIND)
			.problem(PortReservationException.Problem.ADDRESS_NOT_LOCAL)
			.address(address)
			.port(40001)
			.path(java.nio.file.Path.of("/run/x"))
			.backend("linux")
			.nativeCode(99L)
			.build();
		assertThat(ex.getMessage()).isEqualTo("Cannot bind [INVALID TCP block 40000-40003, native code 99]");
		assertThat(ex.getOperation()).contains(PortReservationException.Operation.BIND);
		assertThat(ex.getProblem()).contains(PortReservationException.Problem.ADDRESS_NOT_LOCAL);
		assertThat(ex.getAddress()).contains(address);
		assertThat(ex.getPort()).contains(40001);
		assertThat(ex.getPath()).contains(java.nio.file.Path.of("/run/x"));
		assertThat(ex.getBackend()).contains("linux");
		PortReservationException copy = PortReservationException.builder(Reason.INVALID, "Wrapped").from(ex).build();
		assertThat(copy.getAddress()).contains(address);
		assertThat(copy.getProblem()).isEqualTo(ex.getProblem());
	}

}
