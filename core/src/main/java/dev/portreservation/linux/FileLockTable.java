package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's list of file locks ({@code /proc/locks}), read to learn who holds a lock
 * that refused ours: the pid there is the kernel's word, which no record file can forge.
 * Lines look like {@code 3: POSIX  ADVISORY  WRITE 1234 00:1a:5678 40000 40007} (a
 * waiting request has {@code ->} after the number; {@code EOF} ends a lock that runs to
 * the end of the file; open-file-description locks show pid {@code -1}).
 */
final class FileLockTable {

	private static final Path PROC_LOCKS = Path.of("/proc/locks");

	private FileLockTable() {
	}

	/**
	 * @param file a file
	 * @param first the first byte of a range
	 * @param last the last byte of the range
	 * @return the granted POSIX and open-file-description locks on the file that overlap
	 * the range and are not this process's
	 */
	static List<Lock> overlapping(Path file, long first, long last) {
		List<Lock> locks = new ArrayList<>();
		long inode;
		long device;
		try {
			inode = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
			device = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
		}
		catch (IOException | RuntimeException ex) {
			return locks;
		}
		// dev_t as glibc encodes it: major in bits 8-19 and 32-43, minor in 0-7 and
		// 20-31.
		long major = ((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL);
		long minor = (device & 0xff) | ((device >>> 12) & ~0xffL);
		long self = ProcessHandle.current().pid();
		String table;
		try {
			table = ProcFile.read(PROC_LOCKS);
		}
		catch (IOException ex) {
			return locks;
		}
		for (String line : table.split("\n")) {
			Lock lock = parse(line, major, minor, inode);
			if (lock != null && lock.pid() != self && lock.first() <= last && lock.last() >= first) {
				locks.add(lock);
			}
		}
		return locks;
	}

	static Lock parse(String line, long major, long minor, long inode) {
		String[] fields = line.strip().split("\\s+");
		// A request waiting for a lock is not a lock.
		if (fields.length < 8 || fields[1].equals("->")) {
			return null;
		}
		if (!fields[1].equals("POSIX") && !fields[1].equals("OFDLCK")) {
			return null;
		}
		try {
			String[] id = fields[5].split(":");
			if (id.length != 3 || Long.parseLong(id[0], 16) != major || Long.parseLong(id[1], 16) != minor
					|| Long.parseLong(id[2]) != inode) {
				return null;
			}
			long first = Long.parseLong(fields[6]);
			long last = fields[7].equals("EOF") ? Long.MAX_VALUE : Long.parseLong(fields[7]);
			return new Lock(Long.parseLong(fields[4]), first, last);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A granted lock.
	 *
	 * @param pid its process ({@code -1} for an open-file-description lock)
	 * @param first its first byte
	 * @param last its last byte ({@link Long#MAX_VALUE} for "to the end")
	 */
	record Lock(long pid, long first, long last) {

		/**
		 * @return whether the lock covers bytes that are no port (a block's lock covers
		 * exactly its ports' bytes, 1 to 65535), so no reservation of this library made
		 * it
		 */
		boolean stray() {
			return this.first < 1 || this.last > 65535;
		}

		String range() {
			return this.first + "-" + ((this.last == Long.MAX_VALUE) ? "EOF" : Long.toString(this.last));
		}

	}

}
