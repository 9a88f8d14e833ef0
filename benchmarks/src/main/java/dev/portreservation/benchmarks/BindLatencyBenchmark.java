package dev.portreservation.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

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

	private PortReservation reservation;

	private int next;

	@Setup(Level.Trial)
	public void reserve() {
		this.reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 64);
	}

	@TearDown(Level.Trial)
	public void release() {
		this.reservation.close();
	}

	@Benchmark
	public int plainBindToPortZero() throws IOException {
		this.channel.bind(new InetSocketAddress(LOOPBACK, 0));
		return this.channel.socket().getLocalPort();
	}

	@Benchmark
	public int kernelFloorBesideHolder() throws IOException {
		int port = this.reservation.block().startPort() + (this.next++ % this.reservation.block().count());
		return KernelFloor.bindBesideHolder(this.channel, port);
	}

	@Benchmark
	public int bindThroughReservation() {
		return this.reservation.bind(this.channel, LOOPBACK, 0);
	}

}
