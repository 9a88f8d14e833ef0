package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What names a process in the holder registry: its pid, its start time (field 22 of
 * {@code /proc/<pid>/stat}, which tells the process from a later one that reuses the pid)
 * and its command line.
 */
record ProcessIdentity(long pid, String startTime, String command) {

	/** The longest command line a record keeps. */
	static final int MAX_COMMAND = 512;

	/**
	 * @return this process
	 */
	static ProcessIdentity current() {
		long pid = ProcessHandle.current().pid();
		String startTime = startTime(pid);
		if (startTime == null) {
			throw new IllegalStateException("Cannot read /proc/" + pid + "/stat");
		}
		return new ProcessIdentity(pid, startTime, command(pid));
	}

	/**
	 * @param pid a process id
	 * @return field 22 of its {@code /proc/<pid>/stat}, or {@code null} when the process
	 * does not exist
	 */
	static String startTime(long pid) {
		try {
			String stat = ProcFile.read(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name (field 2) is in parentheses and may contain spaces and
			// ')': count from the last one.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
			return fields[22 - 3];
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static String command(long pid) {
		try {
			String command = ProcFile.read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip();
			return (command.length() > MAX_COMMAND) ? command.substring(0, MAX_COMMAND) : command;
		}
		catch (IOException ex) {
			return "";
		}
	}

}
