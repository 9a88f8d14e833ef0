package dev.portreservation.boot.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.SimulatedExcludedRanges;
import dev.portreservation.windows.WindowsPortReservations;
import dev.portreservation.windows.WindowsSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 17.4: a block that {@code server.port} places stays clear of the ranges Windows
 * excludes, as it does of busy neighbours (issue 18.4), and a {@code server.port} inside
 * one fails with the excluded-range advice naming {@code server.port}. The system's
 * ranges are reservations on the Windows API simulator made by another backend (as
 * WinNAT's are: a runtime reservation, listed without {@code *}; an administered one: a
 * persistent reservation, listed with {@code *}), and netsh lists them; a real Tomcat
 * serves. Every case runs under both readings of persistent blocks (unassociated binds
 * allowed or refused), and again with the simulator preloaded
 * ({@link WindowsExcludedRangeServerPortPreloadTests}).
 */
@GuardTimeout(120)
class WindowsExcludedRangeServerPortTests {

	private static final int COUNT = 8;

	static volatile SimulatedExcludedRanges ranges;

	private final List<PortReservation> system = new ArrayList<>();

	private final List<PortBlock> administered = new ArrayList<>();

	private WindowsPortReservations systemBackend;

	@BeforeEach
	void simulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		ranges = new SimulatedExcludedRanges();
		this.systemBackend = WindowsSimulator.backend();
	}

	@AfterEach
	void giveBack() {
		this.system.forEach(PortReservation::close);
		this.administered.forEach((block) -> this.systemBackend.deletePersistent(Protocol.TCP, block));
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).as("runtime reservations still held").isZero();
		WindowsSimulator.reset(false);
	}

	// Whoever holds it (the system, or an administrator's persistent reservation), a
	// range just above server.port moves the block below it: the block ends on the last
	// port before the range, and the server keeps server.port.
	@ParameterizedTest(name = "{0} range {1} ports above server.port, persistent binds refused: {2}")
	@CsvSource({ "system, 2, false", "system, 2, true", "administered, 3, false", "administered, 3, true" })
	void aRangeAboveServerPortMovesTheBlockBelowItAndTheServerKeepsServerPort(String holder, int distance,
			boolean strict) throws Exception {
		strict(strict);
		int serverPort = portAmidFreePorts();
		PortBlock excluded = new PortBlock(serverPort + distance, 3);
		if ("system".equals(holder)) {
			takenBySystem(excluded);
		}
		else {
			administeredBySomeoneElse(excluded);
		}
		try (RunningServer server = start("server.port=" + serverPort)) {
			assertThat(server.webServerPort()).isEqualTo(serverPort);
			assertThat(server.get(serverPort, "/hello")).isEqualTo("200 hello");
			PortBlock block = server.reservation().block();
			assertThat(block.overlaps(excluded)).as("%s overlaps the excluded %s", block, excluded).isFalse();
			assertThat(block).isEqualTo(new PortBlock(excluded.startPort() - COUNT, COUNT));
		}
	}

	@ParameterizedTest(name = "persistent binds refused: {0}")
	@ValueSource(booleans = { false, true })
	void serverPortInsideASystemRangeFailsWithTheExcludedRangeAdviceNamingServerPort(boolean strict) {
		strict(strict);
		int serverPort = portAmidFreePorts();
		PortBlock excluded = new PortBlock(serverPort - 1, 3);
		takenBySystem(excluded);
		FailureAnalysis analysis = startFailure("server.port=" + serverPort);
		assertThat(analysis.getDescription()).contains("CONFLICT")
			.contains(excluded.startPort() + "-" + excluded.endPort()
					+ " (held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot)")
			.contains("netstat shows no socket there")
			.contains("server.port=" + serverPort);
		assertThat(analysis.getAction())
			.containsPattern("Set server\\.port=\\d+: block \\d+-\\d+ lies outside every "
					+ "range Windows excludes and is free right now")
			.contains("portreservation create " + serverPort + " " + COUNT)
			.contains("portreservation.kind=persistent")
			.contains("remove server.port")
			.doesNotContain("stop what holds");
		assertSuggestedStartIsClearOf(analysis.getAction(), "server.port", excluded);
	}

	@ParameterizedTest(name = "persistent binds refused: {0}")
	@ValueSource(booleans = { false, true })
	void serverPortInsideAnAdministeredRangeSaysAdministered(boolean strict) {
		strict(strict);
		int serverPort = portAmidFreePorts();
		PortBlock excluded = new PortBlock(serverPort, 2);
		administeredBySomeoneElse(excluded);
		FailureAnalysis analysis = startFailure("server.port=" + serverPort);
		assertThat(analysis.getDescription())
			.contains(excluded.startPort() + "-" + excluded.endPort() + " * (administered")
			.doesNotContain("moves at reboot");
		assertThat(analysis.getAction()).contains("Set server.port=").doesNotContain("stop what holds");
		assertSuggestedStartIsClearOf(analysis.getAction(), "server.port", excluded);
	}

	@ParameterizedTest(name = "persistent binds refused: {0}")
	@ValueSource(booleans = { false, true })
	void anExplicitStartPortInsideASystemRangeStillFailsNamingStartPort(boolean strict) {
		strict(strict);
		int start = portAmidFreePorts();
		PortBlock excluded = new PortBlock(start + 2, 3);
		takenBySystem(excluded);
		FailureAnalysis analysis = startFailure("portreservation.start-port=" + start, "server.port=" + start);
		assertThat(analysis.getDescription()).contains(excluded.startPort() + "-" + excluded.endPort()
				+ " (held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot)");
		assertThat(analysis.getAction()).contains("Set portreservation.start-port=")
			.contains("portreservation.kind=persistent")
			.doesNotContain("stop what holds");
		assertSuggestedStartIsClearOf(analysis.getAction(), "portreservation.start-port", excluded);
	}

	private FailureAnalysis startFailure(String... properties) {
		Throwable failure = catchThrowable(() -> start(properties).close());
		return FailureAnalysisAssert.analyzedByPortReservation(failure);
	}

	/**
	 * Starts Tomcat with a block of {@link #COUNT} ports on the simulated Windows, whose
	 * netsh lists {@link #ranges}.
	 * @param properties more properties
	 * @return the running server
	 */
	private static RunningServer start(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("portreservation.count=" + COUNT);
		return RunningServer.start(EmbeddedServer.TOMCAT, new Class<?>[] { SimulatedWindowsWithExcludedRanges.class },
				all.toArray(String[]::new));
	}

	private static void assertSuggestedStartIsClearOf(String action, String property, PortBlock excluded) {
		java.util.regex.Matcher suggested = java.util.regex.Pattern
			.compile("Set " + java.util.regex.Pattern.quote(property) + "=(\\d+)")
			.matcher(action);
		assertThat(suggested.find()).as(action).isTrue();
		PortBlock block = new PortBlock(Integer.parseInt(suggested.group(1)), COUNT);
		assertThat(block.overlaps(excluded)).as("suggested %s overlaps %s", block, excluded).isFalse();
	}

	private static void strict(boolean strict) {
		WindowsSimulator.controls().winsim_set_strict_persistent(strict ? 1 : 0);
	}

	/**
	 * @return a port with {@link #COUNT} ports free on the simulator on each side
	 */
	private static int portAmidFreePorts() {
		return WindowsSimulator.freeBlock(WindowsSimulator.backend(), 3 * COUNT).startPort() + COUNT;
	}

	private void takenBySystem(PortBlock block) {
		this.system.add(this.systemBackend.acquireRuntime(Protocol.TCP, block));
		ranges.list(SimulatedExcludedRanges.system(block));
	}

	private void administeredBySomeoneElse(PortBlock block) {
		this.systemBackend.createPersistent(Protocol.TCP, block).close();
		this.administered.add(block);
		ranges.list(SimulatedExcludedRanges.administered(block));
	}

	@Configuration(proxyBeanMethods = false)
	static class SimulatedWindowsWithExcludedRanges {

		@Bean
		ExcludedPortRanges.Source excludedPortRanges() {
			return ranges.netsh();
		}

		@Bean
		PortReservations windowsOnSimulator(ExcludedPortRanges.Source excludedPortRanges) {
			return SimulatedExcludedRanges.backend(excludedPortRanges);
		}

	}

}
