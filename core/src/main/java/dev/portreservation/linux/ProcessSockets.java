package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which process owns a socket, and what that process is, from {@code /proc}: every open
 * socket is a {@code socket:[inode]} link in {@code /proc/PID/fd}. Another user's
 * {@code fd} directory is readable only by root (or with {@code CAP_SYS_PTRACE}); those
 * processes are skipped and their sockets stay unnamed.
 */
final class ProcessSockets {

	private static final Path PROC = Path.of("/proc");

	private ProcessSockets() {
	}

	/**
	 * @param inodes socket inodes
	 * @return the pid owning each inode found; a socket shared by several processes
	 * (after fork) maps to the first one found ({@code /proc} lists processes by
	 * ascending pid)
	 */
	static Map<Long, Long> owners(Set<Long> inodes) {
		Map<Long, Long> owners = new HashMap<>();
		if (inodes.isEmpty()) {
			return owners;
		}
		Set<Long> missing = new HashSet<>(inodes);
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, ProcessSockets::isPid)) {
			for (Path process : processes) {
				if (missing.isEmpty()) {
					break;
				}
				long pid = Long.parseLong(process.getFileName().toString());
				scan(process.resolve("fd"), pid, missing, owners);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Return what was found so far.
		}
		return owners;
	}

	private static void scan(Path fds, long pid, Set<Long> missing, Map<Long, Long> owners) {
		try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
			for (Path link : links) {
				long inode = socketInode(link);
				if (inode > 0 && missing.remove(inode)) {
					owners.put(inode, pid);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Another user's process, or one that just exited.
		}
	}

	/**
	 * @return the inodes of every socket this process has open right now
	 * @throws IOException when {@code /proc/self/fd} cannot be read
	 */
	static Set<Long> ofThisProcess() throws IOException {
		Set<Long> inodes = new HashSet<>();
		try (DirectoryStream<Path> links = Files.newDirectoryStream(PROC.resolve("self").resolve("fd"))) {
			for (Path link : links) {
				long inode = socketInode(link);
				if (inode > 0) {
					inodes.add(inode);
				}
			}
		}
		return inodes;
	}

	/**
	 * @return the inode of the socket a {@code /proc/PID/fd} link leads to, or -1 for
	 * anything else (a file, a pipe, a descriptor closed meanwhile)
	 */
	private static long socketInode(Path link) {
		String target;
		try {
			target = Files.readSymbolicLink(link).toString();
		}
		catch (IOException ex) {
			return -1;
		}
		if (target.startsWith("socket:[") && target.endsWith("]")) {
			try {
				return Long.parseLong(target.substring(8, target.length() - 1));
			}
			catch (NumberFormatException ex) {
				return -1;
			}
		}
		return -1;
	}

	private static boolean isPid(Path path) {
		String name = path.getFileName().toString();
		return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
	}

	/**
	 * @param pid a process
	 * @return its whole command line, NULs as spaces; empty when it exited or has none (a
	 * kernel thread)
	 */
	static Optional<String> commandLine(long pid) {
		return LinuxProcesses.commandLine(pid);
	}

	/**
	 * @param pid a process
	 * @return field 22 of {@code /proc/PID/stat}, the start time in clock ticks after
	 * boot, which tells a process from a later one that got the same pid; empty when it
	 * does not exist
	 */
	static OptionalLong startTime(long pid) {
		try {
			String stat = ProcFile.read(PROC.resolve(Long.toString(pid)).resolve("stat"));
			// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count
			// from the last ')'.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
			return OptionalLong.of(Long.parseLong(fields[22 - 3]));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * @param pid a process
	 * @return the effective uid it runs as (the owner of {@code /proc/PID}); empty when
	 * it does not exist
	 */
	static OptionalLong uid(long pid) {
		try {
			Object uid = Files.getAttribute(PROC.resolve(Long.toString(pid)), "unix:uid", LinkOption.NOFOLLOW_LINKS);
			return OptionalLong.of(((Number) uid).longValue());
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

}
