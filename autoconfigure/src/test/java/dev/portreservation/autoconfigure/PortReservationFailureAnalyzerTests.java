package dev.portreservation.autoconfigure;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static dev.portreservation.autoconfigure.FailureAnalysisAssert.analyzedByPortReservation;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the failure analyzer tells the user for each reason. The exceptions carry the values a backend
 * reports (block, protocol, native code); the analysis runs through every registered analyzer, as at startup.
 */
class PortReservationFailureAnalyzerTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			ACCESS_DENIED | 5     | run the application elevated
			ACCESS_DENIED | 5     | portreservation.kind=runtime
			CONFLICT      | 32    | Choose another portreservation.start-port
			EXHAUSTED     | 10048 | Raise portreservation.count
			NOT_FOUND     | 1168  | portreservation.kind=runtime
			INVALID       | 87    | must be 0 (any free port of the block) or inside the block
			SYSTEM_ERROR  | 10004 | portreservation.backend=portable
			UNSUPPORTED   | 10045 | portreservation.protocol=tcp
			""")
	void everyReasonNamesTheBlockTheNativeCodeAndTheFix(Reason reason, long nativeCode, String fix) {
		FailureAnalysis analysis = analyzedByPortReservation(wrapped(new PortReservationException(reason,
				"The operating system refused", BLOCK, Protocol.TCP, nativeCode, null)));
		assertThat(analysis.getDescription()).contains("Reason:      " + reason)
			.contains("Block:       TCP 40000-40007")
			.contains("Native code: " + nativeCode);
		assertThat(analysis.getAction()).contains(fix);
	}

	@Test
	void missingJvmFlagIsNamedExactly() {
		FailureAnalysis analysis = analyzedByPortReservation(new PortReservationException(Reason.UNSUPPORTED,
				"Cannot read the socket handle: start the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED",
				BLOCK, Protocol.TCP, null, null));
		assertThat(analysis.getAction()).contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
		assertThat(analysis.getDescription()).contains("Native code: none");
	}

	@Test
	void missingBackendSuggestsThePortableOne() {
		FailureAnalysis analysis = analyzedByPortReservation(new PortReservationException(Reason.UNSUPPORTED,
				"Backend dev.portreservation.windows.WindowsPortReservations is not available"));
		assertThat(analysis.getDescription()).contains("Block:       (not reserved yet)");
		assertThat(analysis.getAction()).contains("portreservation.backend=portable");
	}

	@Test
	void setupFailureCarriesItsOwnFix() {
		FailureAnalysis analysis = analyzedByPortReservation(new PortReservationSetupException(Reason.INVALID,
				"server.port=9000 lies outside the reserved block 40000-40007", BLOCK, Protocol.TCP,
				"Set server.port to a port between 40000 and 40007"));
		assertThat(analysis.getAction()).isEqualTo("Set server.port to a port between 40000 and 40007");
	}

	@Test
	void conflictIsNotReportedAsAPlainPortInUse() {
		// The conflict's cause is a BindException, which Boot's own analyzers would claim.
		FailureAnalysis analysis = analyzedByPortReservation(wrapped(new PortReservationException(Reason.CONFLICT,
				"Port 40000 of the block is in use", BLOCK, Protocol.TCP, 98L,
				new java.net.BindException("Address already in use"))));
		assertThat(analysis.getAction()).contains("portreservation.start-port");
	}

	private static Exception wrapped(PortReservationException cause) {
		return new IllegalStateException("Unable to start web server", cause);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aConflictOnLinuxPointsToLinuxToolsNotToWindowsOnes() {
		FailureAnalysis analysis = analyzedByPortReservation(new PortReservationException(Reason.CONFLICT,
				"Port 40001 of the block is in use by another TCP socket", BLOCK, Protocol.TCP, null, null));
		assertThat(analysis.getAction()).contains("portreservation who PORT").doesNotContain("netsh");
	}

}
