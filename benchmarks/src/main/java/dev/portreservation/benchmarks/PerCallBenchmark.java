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
 * run alike; JMH finds them on the superclass.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class PerCallBenchmark {

	static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

}
