package dev.portreservation.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.springframework.test.util.TestSocketUtils;

/**
 * From nothing to a listening socket on a port nobody else can be handed: the
 * reservation's bind against the usual test idiom,
 * {@code TestSocketUtils.findAvailableTcpPort()} followed by a bind to that port (which
 * probes with a throw-away socket first, and can still lose the race). Both open, bind
 * and close a channel per operation.
 */
public class TimeToListeningSocketBenchmark extends PerCallBenchmark {

	@Benchmark
	public int findAvailablePortThenBind() throws IOException {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			int port = TestSocketUtils.findAvailableTcpPort();
			channel.bind(new InetSocketAddress(LOOPBACK, port), 50);
			return port;
		}
	}

	@Benchmark
	public int bindThroughReservation(ReservedBlock block) throws IOException {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			return block.reservation.bind(channel, LOOPBACK, 50);
		}
	}

}
