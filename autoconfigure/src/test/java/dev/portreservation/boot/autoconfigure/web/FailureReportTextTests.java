package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The failure reports are the product: each is asserted in full, as Boot prints it under
 * "Description:" and "Action:", for a real Tomcat application started with the bad
 * configuration. Every report names the property by the name it is written with, the
 * property that placed the block, and an action that works on the next start.
 */
@GuardTimeout(60)
class FailureReportTextTests {

	private static final String NL = System.lineSeparator();

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	@Test
	void persistentBlockWithoutStartPortIsTheStartersOwnReport() {
		FailureAnalysis analysis = startFailing("portreservation.kind=persistent");
		assertThat(analysis.getDescription()).isEqualTo("Invalid configuration property 'portreservation.start-port': "
				+ "must be set for a persistent block (only a runtime block can be placed by the operating system)" + NL
				+ NL + "    Property: portreservation.start-port" + NL + "    Value:    not set (the default, 0)");
		assertThat(analysis.getAction()).isEqualTo("Set portreservation.start-port to the first port of the "
				+ "persistent block, for example portreservation.start-port=40000 with portreservation.count=8 (only "
				+ "portreservation.start-port places a persistent block, server.port does not; every application "
				+ "naming the same start-port and count shares it). Or set portreservation.kind=runtime to let the "
				+ "operating system pick a free block, or server.port place it.");
	}

	@Test
	void validationFailureNamesThePropertyAsWrittenWithItsOrigin() {
		FailureAnalysis analysis = startFailing("portreservation.start-port=65530", "portreservation.count=10");
		assertThat(analysis.getDescription()).isEqualTo("Invalid configuration property 'portreservation.count': "
				+ "the block 65530+10 would end at port 65539, beyond 65535" + NL + NL
				+ "    Property: portreservation.count" + NL + "    Value:    \"10\"" + NL
				+ "    Origin:   \"portreservation.count\" from property source \"defaultProperties\"");
		assertThat(analysis.getAction())
			.isEqualTo("Set portreservation.start-port=65526 (or lower), or lower portreservation.count to 6 or less.");
	}

	@Test
	void runtimeBlockWithDeleteOnShutdownNamesTheKebabCaseProperty() {
		FailureAnalysis analysis = startFailing("portreservation.delete-on-shutdown=true");
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid configuration property 'portreservation.delete-on-shutdown': applies only to "
					+ "portreservation.kind=persistent (a runtime block is always released on shutdown)" + NL + NL
					+ "    Property: portreservation.delete-on-shutdown" + NL + "    Value:    \"true\"" + NL
					+ "    Origin:   \"portreservation.delete-on-shutdown\" from property source \"defaultProperties\"");
		assertThat(analysis.getAction()).isEqualTo("Remove portreservation.delete-on-shutdown (a runtime block is "
				+ "always released on shutdown), or set portreservation.kind=persistent with a "
				+ "portreservation.start-port for a block that outlives the application until it is deleted.");
	}

	@Test
	void serverPortOutsideABlockPlacedByStartPortOffersStartPortToo() {
		PortBlock block = freeBlock(4);
		int outside = block.endPort() + 1;
		FailureAnalysis analysis = startFailing("portreservation.start-port=" + block.startPort(),
				"portreservation.count=4", "server.port=" + outside);
		assertThat(analysis.getDescription()).isEqualTo("Port reservation failed: server.port=" + outside
				+ " lies outside the reserved block " + block + ", which portreservation.start-port="
				+ block.startPort() + " placed [INVALID TCP block " + block + "]" + NL + NL + "    Reason:      INVALID"
				+ NL + "    Block:       TCP " + block + NL + "    Native code: none (not a native failure)");
		assertThat(analysis.getAction()).isEqualTo("Set server.port to a port between " + block.startPort() + " and "
				+ block.endPort() + ", or to 0 (or leave it unset) to take any free port of the block. Or set "
				+ "portreservation.start-port=" + outside + " (block " + new PortBlock(outside, 4)
				+ ") so that the block holds server.port=" + outside + ", or remove portreservation.start-port so "
				+ "that server.port places the block.");
	}

	@Test
	void managementPortOutsideABlockPlacedByServerPortSaysServerPortPlacedIt() {
		PortBlock block = freeBlock(4);
		int management = block.endPort() + 2;
		FailureAnalysis analysis = startFailing("server.port=" + block.startPort(), "portreservation.count=4",
				"management.server.port=" + management, "management.server.address=127.0.0.1");
		assertThat(analysis.getDescription()).isEqualTo("Port reservation failed: management.server.port=" + management
				+ " lies outside the reserved block " + block + ", which server.port=" + block.startPort()
				+ " placed (portreservation.start-port is not set) [INVALID TCP block " + block + "]" + NL + NL
				+ "    Reason:      INVALID" + NL + "    Block:       TCP " + block + NL
				+ "    Native code: none (not a native failure)");
		assertThat(analysis.getAction()).isEqualTo("Set management.server.port to a port between " + block.startPort()
				+ " and " + block.endPort()
				+ ", or to 0 (or leave it unset) to take any free port of the block. Or set portreservation.start-port="
				+ block.startPort() + " and portreservation.count=6 (block " + new PortBlock(block.startPort(), 6)
				+ ") so that the block holds port " + block.startPort() + " and management.server.port=" + management
				+ ".");
	}

	@Test
	void typoReportListsOnlyTheNamesToWrite() {
		FailureAnalysis analysis = startFailing("portreservation.cout=4");
		assertThat(analysis.getDescription()).isEqualTo("Invalid configuration property 'portreservation.cout': is "
				+ "not a property of this starter; did you mean portreservation.count?" + NL + NL
				+ "    Property: portreservation.cout" + NL + "    Value:    \"4\"" + NL
				+ "    Origin:   \"portreservation.cout\" from property source \"defaultProperties\"");
		assertThat(analysis.getAction()).isEqualTo("Rename it to portreservation.count. The portreservation "
				+ "properties are: portreservation.backend, portreservation.count, portreservation.delete-on-shutdown, "
				+ "portreservation.enabled, portreservation.endpoint.roles, portreservation.endpoint.show-token, "
				+ "portreservation.kind, portreservation.linux.state-directory, portreservation.protocol, "
				+ "portreservation.server.enabled, portreservation.start-port.");
	}

	@Test
	void typoOfADeprecatedNameSuggestsItsReplacement() {
		FailureAnalysis analysis = startFailing("portreservation.metrics.enabeld=false");
		assertThat(analysis.getDescription()).startsWith("Invalid configuration property "
				+ "'portreservation.metrics.enabeld': is not a property of this starter; did you mean "
				+ "management.metrics.enable.portreservation?");
		assertThat(analysis.getAction()).startsWith("Rename it to management.metrics.enable.portreservation. ")
			.doesNotContain("portreservation.metrics.enabled")
			.doesNotContain("portreservation.health.");
	}

	private static FailureAnalysis startFailing(String... properties) {
		Throwable failure = catchThrowable(() -> RunningServer.start(EmbeddedServer.TOMCAT, properties));
		assertThat(failure).as("startup must fail").isNotNull();
		return FailureAnalysisAssert.analyze(failure);
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

}
