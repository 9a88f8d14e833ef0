package dev.portreservation.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.test.util.TestSocketUtils;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * From nothing to a listening socket on a port nobody else can be handed: the
 * reservation's bind against the usual test idiom,
 * {@code TestSocketUtils.findAvailableTcpPort()} followed by a bind to that port (which
 * probes with a throw-away socket first, and can still lose the race). Both open, bind
 * and close a channel per operation.
 */
public class TimeToListeningSocketBenchmark extends PerCallBenchmark {

	private PortReservation reservation;

	@Setup(Level.Trial)
	public void reserve() {
		this.reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 64);
	}

	@TearDown(Level.Trial)
	public void release() {
		this.reservation.close();
	}

	@Benchmark
	public int findAvailablePortThenBind() throws IOException {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			int port = TestSocketUtils.findAvailableTcpPort();
			channel.bind(new InetSocketAddress(LOOPBACK, port), 50);
			return port;
		}
	}

	@Benchmark
	public int bindThroughReservation() throws IOException {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			return this.reservation.bind(channel, LOOPBACK, 50);
		}
	}

}
