package dev.portreservation.benchmarks;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A per-call benchmark that binds a new, unbound server channel in every call: the
 * channel is opened before and closed after each call, outside the measurement.
 */
public abstract class FreshChannelBenchmark extends PerCallBenchmark {

	ServerSocketChannel channel;

	@Setup(Level.Invocation)
	public void open() throws IOException {
		this.channel = ServerSocketChannel.open();
	}

	@TearDown(Level.Invocation)
	public void close() throws IOException {
		this.channel.close();
	}

}
