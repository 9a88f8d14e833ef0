package dev.portreservation.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.portreservation.core.PortReservation;

/**
 * A runtime TCP block of 64 ports, reserved for a whole trial: the block the per-call
 * benchmarks bind through, taken as a benchmark method's argument so that each benchmark
 * that needs it gets it the same way.
 */
@State(Scope.Thread)
public class ReservedBlock {

	static final int PORTS = 64;

	PortReservation reservation;

	@Setup(Level.Trial)
	public void reserve() {
		this.reservation = Blocks.reserve(PORTS);
	}

	@TearDown(Level.Trial)
	public void release() {
		this.reservation.close();
	}

}
