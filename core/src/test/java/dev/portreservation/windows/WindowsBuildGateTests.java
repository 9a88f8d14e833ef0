package dev.portreservation.windows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The build gate: below Windows build 17763 the backend does not start, and says which
 * build it found and what to use instead. The build comes from {@code RtlGetVersion},
 * which the simulator exports with a version a test sets.
 */
class WindowsBuildGateTests {

	@BeforeEach
	void simulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(false);
	}

	@AfterEach
	void restore() {
		WindowsSimulator.reset(false);
	}

	@ParameterizedTest(name = "{0}.x build {1}")
	@CsvSource({ "10, 17762", "10, 17134", "10, 14393", "10, 10240", "6, 9600", "6, 7601" })
	void anOlderBuildIsUnsupportedNamingTheBuildAndTheFallback(int major, int build) {
		WindowsSimulator.controls().winsim_set_version(major, build);
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(WindowsSimulator::backend)
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getProblem()).contains(Problem.BACKEND_UNAVAILABLE);
				assertThat(ex.getBackend()).contains("windows");
				assertThat(ex.getMessage()).contains("build " + build).contains("17763").contains("portable backend");
			});
	}

	@ParameterizedTest(name = "build {0}")
	@CsvSource({ "17763", "19045", "20348", "22631", "26100" })
	void build17763AndLaterRunTheBackend(int build) {
		WindowsSimulator.controls().winsim_set_version(10, build);
		try (var reservation = WindowsSimulator.backend().acquireRuntime(Protocol.TCP, 2)) {
			assertThat(reservation.block().count()).isEqualTo(2);
		}
	}

	@Test
	void aFailingRtlGetVersionIsUnsupportedWithItsStatus() {
		WindowsSimulator.controls().winsim_set_version(10, 0);
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(WindowsSimulator::backend)
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("NTSTATUS 0xC000000D").contains("portable backend");
			});
	}

	@Test
	void aLibraryWithoutRtlGetVersionIsUnsupported() {
		String simulator = WindowsSimulator.LIBRARY.toString();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> new WindowsPortReservations(simulator, simulator, "m"))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
				assertThat(ex.getMessage()).contains("RtlGetVersion");
			});
	}

	@Test
	void theVersionIsReadFromTheSystemWithTheDocumentedStructure() {
		assertThat(new NtDll.OsVersionInfoExW().size()).isEqualTo(NtDll.OsVersionInfoExW.SIZE).isEqualTo(284);
		assertThat(new NtDll.OsVersionInfoExW().dwOSVersionInfoSize).isEqualTo(284);
		WindowsSimulator.controls().winsim_set_version(10, 26100);
		NtDll ntDll = WindowsPortReservations.load(WindowsSimulator.LIBRARY.toString(), NtDll.class);
		assertThat(WindowsBuild.of(ntDll)).isEqualTo(new WindowsBuild(10, 0, 26100));
		assertThat(new WindowsBuild(10, 0, 26100)).hasToString("10.0 build 26100");
	}

}
