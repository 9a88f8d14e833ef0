package dev.portreservation.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes holder registry records the way the registry contract in docs/linux.md describes
 * them, for tests of the readers. Reads the start time itself from
 * {@code /proc/PID/stat}, independently of the code under test.
 */
final class HolderRegistryFiles {

	private HolderRegistryFiles() {
	}

	/**
	 * @param directory the registry directory (created 0700 when missing)
	 * @param pid the process
	 * @param uid the uid to record
	 * @param command the command to record
	 * @param blocks {@code block.N} values such as {@code "tcp 40000 8 runtime"}
	 * @return the record file
	 */
	static Path write(Path directory, long pid, long uid, String command, String... blocks) throws IOException {
		return writeRaw(directory, pid + ".holders", "pid=" + pid + "\nstarttime=" + startTime(pid) + "\ncommand="
				+ command + "\nuid=" + uid + "\n" + blockLines(blocks));
	}

	static Path writeRaw(Path directory, String name, String content) throws IOException {
		if (!Files.isDirectory(directory)) {
			Files.createDirectories(directory);
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		}
		Path file = directory.resolve(name);
		Files.writeString(file, content, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		return file;
	}

	static String blockLines(String... blocks) {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < blocks.length; i++) {
			lines.append("block.").append(i).append('=').append(blocks[i]).append('\n');
		}
		return lines.toString();
	}

	/** Field 22 of /proc/PID/stat, counted after the command name in parentheses. */
	static long startTime(long pid) throws IOException {
		String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
				StandardCharsets.US_ASCII);
		String afterCommand = stat.substring(stat.lastIndexOf(')') + 1).strip();
		return Long.parseLong(afterCommand.split(" ")[19]);
	}

	/**
	 * @return the effective uid of this JVM
	 */
	static long ownUid() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
	}

}
