package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * User ids as the kernel sees them: this process's effective uid (the owner of every file
 * it creates) from {@code /proc/self/status}, and the owner of a file without following a
 * symbolic link.
 */
final class Uids {

	private static volatile long effective = -1;

	private Uids() {
	}

	/**
	 * @return this process's effective uid
	 */
	static long effective() {
		long uid = effective;
		if (uid < 0) {
			uid = readEffective();
			effective = uid;
		}
		return uid;
	}

	/**
	 * @param path a file
	 * @return the uid owning it, or -1 when it cannot be read
	 */
	static long owner(Path path) {
		try {
			return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return -1;
		}
	}

	private static long readEffective() {
		try {
			for (String line : ProcFile.read(Path.of("/proc/self/status")).split("\n")) {
				if (line.startsWith("Uid:")) {
					// Uid: real effective saved filesystem
					return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Fall through: no uid is known.
		}
		throw new IllegalStateException("Cannot read this process's uid from /proc/self/status");
	}

}
