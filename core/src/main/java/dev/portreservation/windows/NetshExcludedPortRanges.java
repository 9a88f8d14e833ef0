package dev.portreservation.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.portreservation.core.Protocol;

/**
 * Reads the excluded port ranges by running {@code netsh interface ipv4 show
 * excludedportrange protocol=tcp|udp} and the same for {@code ipv6}, each bounded in
 * time. The output is decoded byte for byte (ISO-8859-1): only digits, spaces and
 * {@code *} are read, and those are the same bytes in every code page a console uses.
 */
public final class NetshExcludedPortRanges implements ExcludedPortRanges.Source {

	/** How long one netsh run may take before it is given up. */
	private static final long TIMEOUT_SECONDS = 10;

	private final Runner runner;

	/**
	 * Runs the real netsh.
	 */
	public NetshExcludedPortRanges() {
		this(NetshExcludedPortRanges::run);
	}

	/**
	 * @param runner what runs a netsh command line and returns its output, or
	 * {@code null} when it could not run
	 */
	public NetshExcludedPortRanges(Runner runner) {
		this.runner = Objects.requireNonNull(runner, "runner");
	}

	@Override
	public List<ExcludedPortRange> read(Protocol protocol) {
		TreeSet<ExcludedPortRange> ranges = new TreeSet<>();
		for (String family : List.of("ipv4", "ipv6")) {
			String output = this.runner.run(command(family, protocol));
			if (output != null) {
				ranges.addAll(ExcludedPortRanges.parse(output));
			}
		}
		return List.copyOf(ranges);
	}

	/**
	 * @param family {@code ipv4} or {@code ipv6}
	 * @param protocol TCP or UDP
	 * @return the netsh command line
	 */
	public static List<String> command(String family, Protocol protocol) {
		return List.of("netsh", "interface", family, "show", "excludedportrange",
				"protocol=" + protocol.name().toLowerCase(Locale.ROOT));
	}

	private static String run(List<String> command) {
		Process process = null;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.DISCARD)
				.start();
			InputStream in = process.getInputStream();
			// Read beside the wait, so that a netsh that hangs cannot hold the caller
			// beyond the timeout.
			CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(in));
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				return null;
			}
			return new String(output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			if (process != null) {
				process.destroyForcibly();
			}
		}
	}

	private static byte[] readAll(InputStream in) {
		try (in) {
			return in.readNBytes(1 << 20);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs one command line.
	 */
	@FunctionalInterface
	public interface Runner {

		/**
		 * @param command the command line
		 * @return its output, or {@code null} when it could not run
		 */
		String run(List<String> command);

	}

}
