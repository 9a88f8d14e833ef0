package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * Another real Unix user trying to take the ports of a held block: the probe
 * {@code src/test/c/stranger.c} (built by the test build) run as the
 * {@link ThrowawayUser} {@value #USER}. Needs root; the tests skip with the reason
 * otherwise.
 */
final class StrangerProbe {

	static final String USER = "prh1a";

	private static final Path PROBE = Path.of("target", "stranger", "stranger").toAbsolutePath();

	private StrangerProbe() {
	}

	/**
	 * Skips the calling test, with the reason, where no other user can be made or become.
	 */
	static void assumeAvailable() throws Exception {
		ThrowawayUser.ensure(USER);
		Assumptions.assumeTrue(Files.isExecutable(PROBE), "the probe " + PROBE + " was not built (no gcc)");
	}

	/**
	 * @param protocol the protocol to try
	 * @param block the ports to try
	 * @return what the other user got
	 */
	static Attempts tryToTake(Protocol protocol, PortBlock block) throws Exception {
		Result result = run(ThrowawayUser.ensure(USER)
			.command(PROBE.toString(), protocol.name().toLowerCase(Locale.ROOT), Integer.toString(block.startPort()),
					Integer.toString(block.count()))
			.command());
		List<String> lines = result.output().lines().toList();
		String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
		if (result.exitCode() != 0 || !last.startsWith("ATTEMPTS ")) {
			throw new IllegalStateException("The probe failed: " + result.output());
		}
		String[] words = last.split(" ");
		return new Attempts(Long.parseLong(words[1]), Long.parseLong(words[3]),
				lines.stream().filter((line) -> line.startsWith("TAKEN ")).toList());
	}

	private static Result run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Timed out: " + command);
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

	/**
	 * What the other user got.
	 *
	 * @param attempts binds (and listens) tried
	 * @param successes how many the kernel allowed
	 * @param taken one line per success, saying how
	 */
	record Attempts(long attempts, long successes, List<String> taken) {
	}

}
