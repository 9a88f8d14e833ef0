package dev.portreservation.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.openjdk.jmh.annotations.Benchmark;

import dev.portreservation.core.PortBlock;

/**
 * The cost of one bind: a server channel bound through a reservation against two
 * baselines on loopback: a plain bind to port 0, and the kernel floor of the mechanism, a
 * bind that does exactly the system calls a reserved bind needs ({@code SO_REUSEPORT},
 * then a bind to an explicit port of the block beside its holder) without any of the
 * library's bookkeeping. Opening and closing the channel are outside the measurement;
 * returning the previous port to the block happens inside the next reserved bind, so it
 * is measured.
 */
public class BindLatencyBenchmark extends FreshChannelBenchmark {

	private int next;

	@Benchmark
	public int plainBindToPortZero() throws IOException {
		this.channel.bind(new InetSocketAddress(LOOPBACK, 0));
		return this.channel.socket().getLocalPort();
	}

	@Benchmark
	public int kernelFloorBesideHolder(ReservedBlock block) throws IOException {
		PortBlock ports = block.reservation.block();
		int port = ports.startPort() + (this.next++ % ports.count());
		return KernelFloor.bindBesideHolder(this.channel, port);
	}

	@Benchmark
	public int bindThroughReservation(ReservedBlock block) {
		return block.reservation.bind(this.channel, LOOPBACK, 0);
	}

}
