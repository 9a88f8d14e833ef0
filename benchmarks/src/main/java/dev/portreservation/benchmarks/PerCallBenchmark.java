package dev.portreservation.benchmarks;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings of the benchmarks that time one call on loopback (a bind, a socket
 * made to listen): the average time of a call in microseconds, each thread its own state.
 * They are set here once, so the benchmarks whose results are compared as ratios always
 * run alike; JMH finds them on the superclass. Eight seconds of warm-up: on a 2-core
 * machine the reserved bind's compiled code was still settling after three (its warm-up
 * iterations fell from 19 to 13 us and its first measured ones were 2 us above the rest,
 * while the baselines settled in one), so a shorter warm-up measured the JIT, not the
 * bind. Two forks, because a fork's compiled code and a few seconds of a busy neighbour
 * move one fork's mean by several percent.
 */
@State(Scope.Thread)
@Fork(2)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 8, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class PerCallBenchmark {

	static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

}
