package dev.portreservation.benchmarks;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * Per-bind cost as the block grows from 16 to 16,384 ports, with the same 8 ports leased
 * in every case, so that only the block size changes. The 16-port block is the baseline.
 * The kernel floor (the same system calls without the library, {@link KernelFloor}) is
 * measured at each size too, to tell growth in the library's bookkeeping from growth in
 * the kernel's bind tables, which hold one socket per held port.
 */
public class BlockSizeScalingBenchmark extends FreshChannelBenchmark {

	private static final int LEASED = 8;

	@Param({ "16", "1024", "16384" })
	public int blockSize;

	private PortReservation reservation;

	private final List<ServerSocketChannel> leased = new ArrayList<>();

	private int next;

	@Setup(Level.Trial)
	public void reserve() throws IOException {
		this.reservation = Blocks.reserve(this.blockSize);
		for (int i = 0; i < LEASED; i++) {
			ServerSocketChannel held = ServerSocketChannel.open();
			this.reservation.bind(held, LOOPBACK, 0);
			this.leased.add(held);
		}
	}

	@TearDown(Level.Trial)
	public void release() throws IOException {
		for (ServerSocketChannel held : this.leased) {
			held.close();
		}
		this.reservation.close();
	}

	@Benchmark
	public int kernelFloorBesideHolder() throws IOException {
		// The first LEASED ports are bound by the set-up; rotate over the others.
		int free = this.blockSize - LEASED;
		int port = this.reservation.block().startPort() + LEASED + (this.next++ % free);
		return KernelFloor.bindBesideHolder(this.channel, port);
	}

	@Benchmark
	public int bindThroughReservation() {
		return this.reservation.bind(this.channel, LOOPBACK, 0);
	}

}
