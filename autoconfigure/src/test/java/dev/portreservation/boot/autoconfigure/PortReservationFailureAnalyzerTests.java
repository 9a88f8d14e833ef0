package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.PortReservationSetupException;

import java.net.InetAddress;
import java.nio.file.Path;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

import static dev.portreservation.boot.autoconfigure.FailureAnalysisAssert.analyzedByPortReservation;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the failure analyzer tells the user for each reason and each problem. The
 * exceptions carry the typed values a backend reports (block, protocol, native code,
 * problem, address, port, path, backend) and messages that name no property: the advice
 * must come from the fields. The analysis runs through every registered analyzer, as at
 * startup.
 */
class PortReservationFailureAnalyzerTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			ACCESS_DENIED | windows  | 5     | run the application elevated
			ACCESS_DENIED | windows  | 5     | portreservation.kind=runtime
			ACCESS_DENIED | linux    | 1     | CAP_NET_ADMIN
			ACCESS_DENIED | linux    | 1     | portreservation.kind=runtime
			CONFLICT      | windows  | 32    | Choose another portreservation.start-port
			CONFLICT      | linux    | 98    | Choose another portreservation.start-port
			EXHAUSTED     | windows  | 10048 | Raise portreservation.count
			EXHAUSTED     | linux    | 98    | Raise portreservation.count
			NOT_FOUND     | windows  | 1168  | portreservation.kind=runtime
			INVALID       | windows  | 87    | must be 0 (any free port of the block) or inside the block
			SYSTEM_ERROR  | windows  | 10004 | portreservation.backend=portable
			UNSUPPORTED   | portable | 10045 | portreservation.backend=portable
			""")
	void everyReasonNamesTheBlockTheNativeCodeAndTheFix(Reason reason, String backend, long nativeCode, String fix) {
		FailureAnalysis analysis = analyzedByPortReservation(
				wrapped(PortReservationException.builder(reason, "The operating system refused")
					.block(BLOCK)
					.protocol(Protocol.TCP)
					.nativeCode(nativeCode)
					.backend(backend)
					.build()));
		assertThat(analysis.getDescription()).contains("Reason:      " + reason)
			.contains("Block:       TCP 40000-40007")
			.contains("Native code: " + nativeCode);
		assertThat(analysis.getAction()).contains(fix);
	}

	@Test
	void platformHintsAppearOnlyOnTheirPlatform() {
		FailureAnalysis windows = analyzedByPortReservation(conflict("windows"));
		FailureAnalysis linux = analyzedByPortReservation(conflict("linux"));
		FailureAnalysis portable = analyzedByPortReservation(conflict("portable"));
		assertThat(windows.getAction()).contains("netsh interface ipv4 show excludedportrange protocol=tcp")
			.contains("portreservation who PORT")
			.doesNotContain("ip_local_reserved_ports");
		assertThat(linux.getAction()).contains("portreservation who PORT", "ip_local_reserved_ports")
			.doesNotContain("netsh");
		assertThat(portable.getAction()).doesNotContain("netsh")
			.doesNotContain("ip_local_reserved_ports")
			.doesNotContain("portreservation who");
		FailureAnalysis linuxAccess = analyzedByPortReservation(
				PortReservationException.builder(Reason.ACCESS_DENIED, "Writing failed").backend("linux").build());
		assertThat(linuxAccess.getAction()).contains("CAP_NET_ADMIN").doesNotContain("elevat");
	}

	@Test
	void aNonLocalAddressIsExplainedAsTheAddressNotThePorts() throws Exception {
		FailureAnalysis analysis = analyzedByPortReservation(
				wrapped(PortReservationException.builder(Reason.INVALID, "Cannot bind to 192.0.2.1")
					.block(BLOCK)
					.protocol(Protocol.TCP)
					.problem(Problem.ADDRESS_NOT_LOCAL)
					.address(InetAddress.getByName("192.0.2.1"))
					.nativeCode(99L)
					.backend("linux")
					.build()));
		assertThat(analysis.getDescription()).contains("Address:     192.0.2.1", "Native code: 99");
		assertThat(analysis.getAction()).contains("192.0.2.1", "server.address")
			.doesNotContain("portreservation.count")
			.doesNotContain("portreservation.start-port");
	}

	@Test
	void aPrivilegedPortNamesThePortAndTheCapability() {
		FailureAnalysis analysis = analyzedByPortReservation(
				PortReservationException.builder(Reason.ACCESS_DENIED, "Cannot bind port 80")
					.problem(Problem.PRIVILEGED_PORT)
					.port(80)
					.nativeCode(13L)
					.backend("linux")
					.build());
		assertThat(analysis.getDescription()).contains("Port:        80");
		assertThat(analysis.getAction()).contains("Port 80", "CAP_NET_BIND_SERVICE", "portreservation.start-port")
			.doesNotContain("CAP_NET_ADMIN");
	}

	@Test
	void anUnsafeStateDirectoryNamesThePathAndTheProperty() {
		FailureAnalysis analysis = analyzedByPortReservation(PortReservationException
			.builder(Reason.INVALID, "Refusing the state directory: /tmp/shared is writable by others")
			.problem(Problem.UNSAFE_STATE_DIRECTORY)
			.path(Path.of("/tmp/shared"))
			.backend("linux")
			.build());
		assertThat(analysis.getDescription()).contains("Path:        /tmp/shared");
		assertThat(analysis.getAction()).contains("/tmp/shared", "portreservation.linux.state-directory");
		FailureAnalysis relative = analyzedByPortReservation(
				PortReservationException.builder(Reason.INVALID, "The state directory must be an absolute path")
					.problem(Problem.UNSAFE_STATE_DIRECTORY)
					.path(Path.of("state"))
					.build());
		assertThat(relative.getAction()).contains("portreservation.linux.state-directory to an absolute path");
	}

	@Test
	void aBlockReservedAsPersistentPointsToThePersistentKind() {
		FailureAnalysis analysis = analyzedByPortReservation(PortReservationException
			.builder(Reason.CONFLICT, "Ports 40000 of the block are in ip_local_reserved_ports")
			.problem(Problem.RESERVED_AS_PERSISTENT)
			.backend("linux")
			.build());
		assertThat(analysis.getAction()).contains("portreservation.kind=persistent");
	}

	@Test
	void missingJvmFlagIsNamedExactly() {
		FailureAnalysis analysis = analyzedByPortReservation(
				PortReservationException.builder(Reason.UNSUPPORTED, "Cannot read the socket handle")
					.problem(Problem.JDK_INTERNALS_CLOSED)
					.block(BLOCK)
					.protocol(Protocol.TCP)
					.build());
		assertThat(analysis.getAction()).contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED");
		assertThat(analysis.getDescription()).contains("Native code: none");
	}

	@Test
	void anIpv4OnlyJvmThatCannotHoldIpv6NamesTheFlag() {
		FailureAnalysis analysis = analyzedByPortReservation(wrapped(PortReservationException
			.builder(Reason.UNSUPPORTED, "This JVM runs with -Djava.net.preferIPv4Stack=true")
			.problem(Problem.IPV4_ONLY_JVM)
			.block(BLOCK)
			.protocol(Protocol.TCP)
			.build()));
		assertThat(analysis.getAction()).contains("Remove -Djava.net.preferIPv4Stack=true");
	}

	@Test
	void anUnsafeRuntimeDirectoryNamesTheFixNotPrivileges() {
		FailureAnalysis analysis = analyzedByPortReservation(wrapped(PortReservationException
			.builder(Reason.ACCESS_DENIED,
					"Refusing the port reservation runtime directory /tmp/x: it is a symbolic link")
			.problem(Problem.UNSAFE_RUNTIME_DIRECTORY)
			.path(java.nio.file.Path.of("/tmp/x"))
			.build()));
		assertThat(analysis.getAction()).contains("mode 0700").doesNotContain("elevated");
	}

	@Test
	void theAdviceComesFromTheFieldsNotFromTheMessage() {
		// A message that mentions the JVM flag does not make the advice about it; the
		// problem does.
		FailureAnalysis analysis = analyzedByPortReservation(PortReservationException
			.builder(Reason.UNSUPPORTED, "Nothing about --add-exports or sun.nio.ch matters here")
			.problem(Problem.WRONG_PROTOCOL)
			.build());
		assertThat(analysis.getAction()).contains("portreservation.protocol=tcp").doesNotContain("--add-exports");
	}

	@Test
	void missingBackendSuggestsThePortableOne() {
		FailureAnalysis analysis = analyzedByPortReservation(
				PortReservationException.builder(Reason.UNSUPPORTED, "Cannot load the native library 'ws2_32'")
					.problem(Problem.BACKEND_UNAVAILABLE)
					.operation(PortReservationException.Operation.OPEN_BACKEND)
					.backend("windows")
					.build());
		assertThat(analysis.getDescription()).contains("Block:       (not reserved yet)");
		assertThat(analysis.getAction()).contains("windows backend", "portreservation.backend=portable");
	}

	@Test
	void aWindowsBuildBelowTheGateIsToldToUseThePortableBackendNotAuto() {
		FailureAnalysis analysis = analyzedByPortReservation(PortReservationException
			.builder(Reason.UNSUPPORTED, "Windows 10.0 build 17134 is older than build 17763")
			.problem(Problem.BACKEND_UNAVAILABLE)
			.operation(PortReservationException.Operation.OPEN_BACKEND)
			.backend("windows")
			.build());
		assertThat(analysis.getAction()).contains("17763", "portreservation.backend=portable")
			.doesNotContain("portreservation.backend=auto");
	}

	@Test
	void aBlockInAWindowsExcludedRangePointsToAClearStartAndThePersistentCure() {
		FailureAnalysis analysis = analyzedByPortReservation(
				PortReservationException.builder(Reason.CONFLICT, "SIO_ACQUIRE_PORT_RESERVATION failed")
					.problem(Problem.EXCLUDED_PORT_RANGE)
					.block(BLOCK)
					.protocol(Protocol.UDP)
					.nativeCode(10048L)
					.backend("windows")
					.build());
		assertThat(analysis.getAction()).contains("range Windows excludes", "'portreservation excluded --udp'",
				"portreservation.start-port", "'portreservation create 40000 8 --udp'",
				"portreservation.kind=persistent");
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
		// The conflict's cause is a BindException, which Boot's own analyzers would
		// claim.
		FailureAnalysis analysis = analyzedByPortReservation(
				wrapped(PortReservationException.builder(Reason.CONFLICT, "Port 40000 of the block is in use")
					.block(BLOCK)
					.protocol(Protocol.TCP)
					.nativeCode(98L)
					.cause(new java.net.BindException("Address already in use"))
					.build()));
		assertThat(analysis.getAction()).contains("portreservation.start-port");
	}

	private static Exception conflict(String backend) {
		return wrapped(PortReservationException.builder(Reason.CONFLICT, "Port 40003 of the block is in use")
			.block(BLOCK)
			.protocol(Protocol.TCP)
			.problem(Problem.PORT_IN_USE)
			.port(40003)
			.backend(backend)
			.build());
	}

	private static Exception wrapped(PortReservationException cause) {
		return new IllegalStateException("Unable to start web server", cause);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aConflictOnLinuxPointsToLinuxToolsNotToWindowsOnes() {
		FailureAnalysis analysis = analyzedByPortReservation(PortReservationException
			.builder(Reason.CONFLICT, "Port 40001 of the block is in use by another TCP socket")
			.block(BLOCK)
			.protocol(Protocol.TCP)
			.backend("linux")
			.build());
		assertThat(analysis.getAction()).contains("portreservation who PORT").doesNotContain("netsh");
	}

	@Test
	void theAdviceComesFromTheFailuresBackendNotFromTheEnvironment() {
		// The configuration names the windows backend, the failure names none: no
		// platform's tools are suggested (a guess from the environment could name the
		// wrong one).
		MockEnvironment environment = new MockEnvironment().withProperty("portreservation.backend", "windows");
		FailureAnalyzer analyzer = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
				.and(Environment.class, environment), FailureHandler.handleMessage((message, ex) -> {
				}))
			.stream()
			.filter((candidate) -> candidate.getClass().getSimpleName().equals("PortReservationFailureAnalyzer"))
			.findFirst()
			.orElseThrow();
		FailureAnalysis analysis = analyzer
			.analyze(PortReservationException.builder(Reason.CONFLICT, "Port 40001 of the block is in use")
				.block(BLOCK)
				.protocol(Protocol.TCP)
				.build());
		assertThat(analysis.getAction()).contains("Choose another portreservation.start-port")
			.doesNotContain("netsh")
			.doesNotContain("ip_local_reserved_ports");
	}

}
