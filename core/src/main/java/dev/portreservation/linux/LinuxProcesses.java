package dev.portreservation.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc} tells about another process: its whole command line, and whether it
 * lives in this process's network namespace (ports are per namespace: a block held in
 * another namespace keeps nothing off ours).
 */
public final class LinuxProcesses {

	private static final Path PROC = Path.of("/proc");

	/**
	 * Longest command line read. The kernel allows far more, but a class path of a
	 * thousand jars fits; only the summary of it is shown anyway.
	 */
	static final int MAX_COMMAND = 1 << 20;

	private LinuxProcesses() {
	}

	/**
	 * @param pid a process
	 * @return its whole command line, NULs as spaces; empty when it exited, has none (a
	 * kernel thread) or cannot be read
	 */
	public static Optional<String> commandLine(long pid) {
		try (InputStream in = Files.newInputStream(PROC.resolve(Long.toString(pid)).resolve("cmdline"))) {
			byte[] raw = in.readNBytes(MAX_COMMAND);
			String command = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
			return command.isEmpty() ? Optional.empty() : Optional.of(command);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * @param pid a process
	 * @return whether it is in the network namespace of this process; empty when that
	 * cannot be told (another user's process without root, or one that exited)
	 */
	public static Optional<Boolean> inThisNetworkNamespace(long pid) {
		Optional<String> own = networkNamespace(ProcessHandle.current().pid());
		Optional<String> its = networkNamespace(pid);
		return (own.isPresent() && its.isPresent()) ? Optional.of(own.get().equals(its.get())) : Optional.empty();
	}

	private static Optional<String> networkNamespace(long pid) {
		try {
			return Optional
				.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("ns").resolve("net")).toString());
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return Optional.empty();
		}
	}

}
