package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.PortStates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.portreservation.test.GuardTimeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart on the same fixed block while idle keep-alive clients (as connection pools
 * keep them) still hold connections to the previous run: the stopped server's ends sit in
 * FIN-WAIT-2, and the next start must serve at once, as plain Spring Boot does, after a
 * run with the starter and after a plain run without it. Real Tomcat, Reactor Netty and
 * Jetty; the times (start call to first HTTP 200) are printed next to plain Boot's.
 */
@GuardTimeout(120)
class RestartWithIdleClientsTests {

	private static final int IDLE_CLIENTS = 8;

	private final List<Socket> idleClients = new ArrayList<>();

	@BeforeEach
	void linuxOnly() {
		Assumptions.assumeTrue("linux".equals(PortReservations.forCurrentPlatform().name()),
				"the leftover states are read from Linux's /proc/net/tcp");
	}

	@AfterEach
	void closeClients() throws IOException {
		for (Socket client : this.idleClients) {
			client.close();
		}
	}

	@ParameterizedTest
	@EnumSource(value = EmbeddedServer.class, names = { "TOMCAT", "NETTY", "JETTY" })
	void aRestartOnTheSameFixedBlockServesAtOnceDespiteIdleClientsOfThePreviousRun(EmbeddedServer kind)
			throws Exception {
		long plain = restart(kind, false, false);
		long starterAfterStarter = restart(kind, true, true);
		long starterAfterPlain = restart(kind, false, true);
		System.out.printf(
				"RESTART %s with %d idle clients (ms to first HTTP 200): plain Boot after plain Boot %d, "
						+ "starter after starter %d, starter after plain Boot %d%n",
				kind, IDLE_CLIENTS, plain / 1_000_000, starterAfterStarter / 1_000_000, starterAfterPlain / 1_000_000);
	}

	/**
	 * Runs an application on a fixed port with idle clients, stops it, and starts the
	 * next one on the same port at once.
	 * @return nanoseconds from the second start call to its first HTTP 200
	 */
	private long restart(EmbeddedServer kind, boolean starterBefore, boolean starterAfter) throws Exception {
		PortBlock block = freeBlock();
		int port = block.startPort();
		try (RunningServer previous = RunningServer.start(kind, properties(block, starterBefore))) {
			assertThat(previous.webServerPort()).isEqualTo(port);
			for (int i = 0; i < IDLE_CLIENTS; i++) {
				this.idleClients.add(keepAliveClient(port));
			}
		}
		for (int i = 0; i < 250 && !PortStates.of(port).contains("FIN-WAIT-2"); i++) {
			Thread.sleep(20);
		}
		assertThat(PortStates.of(port)).as("what the stopped %s server left on port %d", kind, port)
			.contains("FIN-WAIT-2")
			.doesNotContain("LISTEN");
		long start = System.nanoTime();
		try (RunningServer next = RunningServer.start(kind, properties(block, starterAfter))) {
			assertThat(next.get(port, "/hello")).isEqualTo("200 hello");
			long elapsed = System.nanoTime() - start;
			assertThat(next.webServerPort()).isEqualTo(port);
			if (starterAfter) {
				assertThat(next.reservation().block()).isEqualTo(block);
			}
			return elapsed;
		}
	}

	private static String[] properties(PortBlock block, boolean starter) {
		return new String[] { "server.port=" + block.startPort(), "portreservation.enabled=" + starter,
				"portreservation.start-port=" + block.startPort(), "portreservation.count=" + block.count() };
	}

	/**
	 * A client that sends one request, reads the answer and then keeps the connection
	 * open, idle.
	 */
	private static Socket keepAliveClient(int port) throws IOException {
		Socket client = new Socket();
		client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		client.setSoTimeout(5000);
		client.getOutputStream()
			.write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		InputStream in = client.getInputStream();
		StringBuilder answer = new StringBuilder();
		byte[] buffer = new byte[1024];
		while (!answer.toString().contains("hello")) {
			int read = in.read(buffer);
			assertThat(read).as("the answer so far: %s", answer).isPositive();
			answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
		}
		assertThat(answer.toString()).startsWith("HTTP/1.1 200");
		return client;
	}

	private static PortBlock freeBlock() {
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 2)) {
			return probe.block();
		}
	}

}
