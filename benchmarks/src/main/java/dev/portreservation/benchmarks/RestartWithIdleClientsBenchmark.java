package dev.portreservation.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;

/**
 * A restart on the same fixed block while 8 idle keep-alive clients of the previous run
 * keep their connections open (the stopped server's ends sit in FIN-WAIT-2): time from
 * the start call to the first HTTP 200, with the starter
 * ({@code portreservation.start-port} fixed) and with plain Boot ({@code server.port}
 * fixed, starter off). Each operation is one start; the previous run and its clients are
 * set up before it.
 */
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class RestartWithIdleClientsBenchmark extends SampleAppBenchmark {

	private static final int IDLE_CLIENTS = 8;

	private PortBlock block;

	private final List<Socket> idleClients = new ArrayList<>();

	private ConfigurableApplicationContext running;

	@Setup(Level.Trial)
	public void chooseBlock() {
		try (PortReservation probe = Blocks.reserve(2)) {
			this.block = probe.block();
		}
	}

	@Setup(Level.Invocation)
	public void previousRunWithIdleClients() throws IOException {
		try (ConfigurableApplicationContext previous = start()) {
			for (int i = 0; i < IDLE_CLIENTS; i++) {
				this.idleClients.add(idleClient());
			}
		}
	}

	@Benchmark
	public int restartToFirstOk() throws IOException {
		this.running = start();
		try (Socket client = request()) {
			return status(client);
		}
	}

	@TearDown(Level.Invocation)
	public void stop() throws IOException {
		if (this.running != null) {
			this.running.close();
			this.running = null;
		}
		for (Socket client : this.idleClients) {
			client.close();
		}
		this.idleClients.clear();
	}

	private ConfigurableApplicationContext start() {
		return start("--server.port=" + this.block.startPort(),
				"--portreservation.start-port=" + this.block.startPort(),
				"--portreservation.count=" + this.block.count());
	}

	/**
	 * A client that asks once, reads the whole answer and then keeps the connection open,
	 * idle.
	 */
	private Socket idleClient() throws IOException {
		Socket client = request();
		if (status(client) != 200) {
			throw new IllegalStateException("The previous run did not answer 200");
		}
		return client;
	}

	private Socket request() throws IOException {
		Socket client = new Socket();
		client.connect(new InetSocketAddress("127.0.0.1", this.block.startPort()), 5000);
		client.setSoTimeout(5000);
		client.getOutputStream()
			.write(("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		return client;
	}

	/**
	 * Reads the answer until its body's end (the health document closes with a brace) and
	 * returns the status.
	 */
	private static int status(Socket client) throws IOException {
		InputStream in = client.getInputStream();
		StringBuilder answer = new StringBuilder();
		byte[] buffer = new byte[4096];
		while (answer.indexOf("}") < 0) {
			int read = in.read(buffer);
			if (read < 0) {
				break;
			}
			answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
		}
		String[] statusLine = answer.toString().split(" ", 3);
		return (statusLine.length > 1) ? Integer.parseInt(statusLine[1]) : -1;
	}

}
