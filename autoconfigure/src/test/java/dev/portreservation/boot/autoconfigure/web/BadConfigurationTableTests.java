package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A table of bad configurations, each started as a real Tomcat application: every one
 * must stop startup with Boot's failure report naming the property at fault and saying
 * what to do, and leave nothing reserved: the block can be reserved again and the process
 * holds no more sockets than before.
 * <p>
 * {@code BLOCK} in a row stands for the start of a block of four free ports picked for
 * that row.
 */
@GuardTimeout(60)
class BadConfigurationTableTests {

	private static final int COUNT = 4;

	private final PortReservations backend = PortReservations.forCurrentPlatform();

	static Stream<BadConfiguration> badConfigurations() {
		return Stream.of(bad("count of zero", "portreservation.count", "portreservation.count=0"),
				bad("negative count", "portreservation.count", "portreservation.count=-3"),
				bad("count beyond the port space", "portreservation.count", "portreservation.count=70000"),
				bad("count that is not a number", "portreservation.count", "portreservation.count=eight"),
				bad("negative start port", "portreservation.start-port", "portreservation.start-port=-1"),
				bad("start port beyond 65535", "portreservation.start-port", "portreservation.start-port=70000"),
				bad("block running past 65535", "portreservation.start-port", "portreservation.start-port=65530",
						"portreservation.count=10"),
				bad("persistent block without a start port", "portreservation.start-port",
						"portreservation.kind=persistent", "portreservation.start-port=0"),
				bad("unknown kind", "portreservation.kind", "portreservation.kind=forever"),
				bad("unknown protocol", "portreservation.protocol", "portreservation.protocol=sctp"),
				bad("unknown backend", "portreservation.backend", "portreservation.backend=solaris"),
				bad("enabled that is not a boolean", "portreservation.enabled", "portreservation.enabled=maybe"),
				bad("delete-on-shutdown on a runtime block", "portreservation.delete-on-shutdown",
						"portreservation.kind=runtime", "portreservation.delete-on-shutdown=true"),
				bad("UDP block for a web server", "portreservation.protocol", "portreservation.protocol=udp",
						"portreservation.start-port=BLOCK"),
				bad("server.port outside the block", "server.port", "portreservation.start-port=BLOCK",
						"server.port=OUTSIDE"),
				bad("management.server.port outside the block", "management.server.port",
						"portreservation.start-port=BLOCK", "management.server.port=OUTSIDE",
						"management.server.address=127.0.0.1"),
				bad("block too small for server and management", "portreservation.count",
						"portreservation.start-port=BLOCK", "portreservation.count=1", "management.server.port=0",
						"management.server.address=127.0.0.1"),
				bad("block taken by another socket", "portreservation.start-port", "portreservation.start-port=BUSY"),
				bad("backend of another operating system", "portreservation.backend", "portreservation.backend=windows",
						"portreservation.start-port=BLOCK"),
				bad("typo in a property name", "did you mean portreservation.count?", "portreservation.cout=4"),
				bad("typo in the on/off switch", "did you mean portreservation.enabled?",
						"portreservation.enabeld=false"),
				bad("count in hexadecimal", "portreservation.count", "portreservation.count=0x10"),
				bad("start port in hexadecimal", "portreservation.start-port", "portreservation.start-port=0xEA60"),
				bad("a list where the count belongs", "portreservation.count", "portreservation.count[0]=4"),
				// server.port=65534 is no bad input: plain Boot starts there, and so does
				// the block
				// around it (ServerPortNeighboursTests).
				bad("a map where the kind belongs", "portreservation.kind", "portreservation.kind.default=runtime"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badConfigurations")
	void stopsStartupNamingThePropertyAndLeavesNothingReserved(BadConfiguration row) throws IOException {
		PortBlock block = freeBlock();
		long socketsBefore = openSockets();
		Throwable failure;
		try (ServerSocketChannel stranger = ServerSocketChannel.open()) {
			if (row.uses("BUSY")) {
				stranger.bind(new InetSocketAddress("127.0.0.1", block.startPort() + 1));
			}
			failure = catchThrowable(() -> RunningServer.start(EmbeddedServer.TOMCAT, row.properties(block)));
		}
		assertThat(failure).as("startup must fail").isNotNull();
		FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
		String report = analysis.getDescription() + "\n" + analysis.getAction();
		assertThat(report).as("the failure report").contains(row.property());
		assertThat(analysis.getAction()).as("the action").isNotBlank();
		assertThat(openSockets()).as("sockets held by this process after the failed startup")
			.isLessThanOrEqualTo(socketsBefore);
		try (PortReservation again = this.backend.acquireRuntime(Protocol.TCP, block)) {
			assertThat(again.leases()).isEmpty();
		}
	}

	private PortBlock freeBlock() {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, COUNT)) {
			return probe.block();
		}
	}

	/**
	 * Sockets this process has open, read from {@code /proc/self/fd}; -1 where that
	 * cannot be read.
	 */
	private static long openSockets() throws IOException {
		Path fds = Path.of("/proc/self/fd");
		if (!Files.isDirectory(fds)) {
			return Long.MAX_VALUE;
		}
		List<String> targets = new ArrayList<>();
		try (Stream<Path> entries = Files.list(fds)) {
			entries.forEach((fd) -> {
				try {
					targets.add(Files.readSymbolicLink(fd).toString());
				}
				catch (IOException ex) {
					// The descriptor was closed while we listed the directory.
				}
			});
		}
		return targets.stream().filter((target) -> target.startsWith("socket:")).count();
	}

	private static BadConfiguration bad(String name, String property, String... properties) {
		return new BadConfiguration(name, property, List.of(properties));
	}

	record BadConfiguration(String name, String property, List<String> settings) {

		boolean uses(String placeholder) {
			return this.settings.stream().anyMatch((setting) -> setting.endsWith("=" + placeholder));
		}

		String[] properties(PortBlock block) {
			List<String> all = new ArrayList<>();
			for (String setting : this.settings) {
				all.add(setting.replace("=BLOCK", "=" + block.startPort())
					.replace("=BUSY", "=" + block.startPort())
					.replace("=OUTSIDE", "=" + (block.endPort() + 1)));
			}
			if (this.settings.stream().noneMatch((setting) -> setting.startsWith("portreservation.count="))) {
				all.add("portreservation.count=" + COUNT);
			}
			return all.toArray(String[]::new);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
