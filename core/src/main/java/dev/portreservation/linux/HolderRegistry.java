package dev.portreservation.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * The holder registry: one file per live process, {@code <pid>.holders} in the
 * {@link RuntimeDirectory}, listing the blocks the process holds, so that a command line
 * tool (or a refused process) can name who holds a port. The file is written atomically
 * (a new file in the same directory, then a rename) and mode 0600, rewritten whenever the
 * set of blocks changes, removed when the process holds none and on a clean exit. Format
 * ({@link Properties}): {@code pid}, {@code starttime} (field 22 of
 * {@code /proc/<pid>/stat}), {@code command}, {@code uid}, and
 * {@code block.N=<tcp|udp> <startPort> <count> <runtime|persistent>} for N from 0. A
 * record is live while {@code /proc/<pid>/stat} shows the same start time.
 */
final class HolderRegistry {

	static final String SUFFIX = ".holders";

	private static final Map<Path, HolderRegistry> REGISTRIES = new ConcurrentHashMap<>();

	private final Path directory;

	private final ProcessIdentity self;

	private final List<Held> blocks = new ArrayList<>();

	private boolean exitHookAdded;

	private HolderRegistry(Path directory, ProcessIdentity self) {
		this.directory = directory;
		this.self = self;
	}

	/**
	 * @param directory a runtime directory, already checked
	 * @return this process's registry in it
	 */
	static HolderRegistry in(Path directory) {
		return REGISTRIES.computeIfAbsent(directory, (dir) -> new HolderRegistry(dir, ProcessIdentity.current()));
	}

	/**
	 * @return the file this process's record lives in
	 */
	Path file() {
		return this.directory.resolve(this.self.pid() + SUFFIX);
	}

	/**
	 * Adds a block to this process's record.
	 * @param held the block; removed again with {@link #remove(Held)}
	 * @throws UncheckedIOException when the record cannot be written
	 */
	synchronized void add(Held held) {
		this.blocks.add(held);
		try {
			write();
		}
		catch (IOException ex) {
			this.blocks.remove(held);
			throw new UncheckedIOException("Cannot write the holder record " + file(), ex);
		}
		if (!this.exitHookAdded) {
			this.exitHookAdded = true;
			removeDeadRecords();
			try {
				Runtime.getRuntime().addShutdownHook(new Thread(this::removeOnExit, "portreservation-holders-exit"));
			}
			catch (IllegalStateException ex) {
				// The JVM is already shutting down: the record dies with the process and
				// readers skip it.
			}
		}
	}

	/**
	 * Removes a block from this process's record (the file goes with the last one). A
	 * failure to rewrite is not reported: the record then lists a block too many until
	 * the next change or the process's end, and readers check liveness anyway.
	 * @param held a block given to {@link #add(Held)}
	 */
	synchronized void remove(Held held) {
		if (this.blocks.remove(held)) {
			try {
				write();
			}
			catch (IOException ex) {
				// See above: stale by one block at worst.
			}
		}
	}

	/**
	 * Records of processes that ended without a clean exit ({@code kill -9}, a crash)
	 * stay behind; the first registration of each process sweeps them, so the directory
	 * does not fill up. A record that cannot be read is left alone.
	 */
	private void removeDeadRecords() {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*" + SUFFIX)) {
			for (Path file : files) {
				Properties record = read(file);
				if (record != null && !file.equals(file()) && !live(record)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Only tidiness suffers.
		}
	}

	private synchronized void removeOnExit() {
		this.blocks.clear();
		try {
			Files.deleteIfExists(file());
		}
		catch (IOException ex) {
			// The record is dead with the process; readers skip it.
		}
	}

	private void write() throws IOException {
		Path file = file();
		if (this.blocks.isEmpty()) {
			Files.deleteIfExists(file);
			return;
		}
		StringBuilder content = new StringBuilder();
		content.append(line("pid", Long.toString(this.self.pid())));
		content.append(line("starttime", this.self.startTime()));
		content.append(line("command", this.self.command()));
		content.append(line("uid", Long.toString(Uids.effective())));
		for (int i = 0; i < this.blocks.size(); i++) {
			content.append(line("block." + i, this.blocks.get(i).toString()));
		}
		// createTempFile opens with O_EXCL (never through a planted link); the rename
		// replaces the name itself.
		Path temporary = Files.createTempFile(this.directory, "." + this.self.pid() + ".", ".tmp",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try {
			Files.getFileAttributeView(temporary, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setPermissions(PosixFilePermissions.fromString("rw-------"));
			Files.write(temporary, content.toString().getBytes(StandardCharsets.ISO_8859_1), LinkOption.NOFOLLOW_LINKS);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/** One {@code key=value} line with {@link Properties}' own escaping. */
	private static String line(String key, String value) throws IOException {
		Properties single = new Properties();
		single.setProperty(key, value);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		single.store(out, null);
		StringBuilder line = new StringBuilder();
		for (String stored : out.toString(StandardCharsets.ISO_8859_1).split("\n")) {
			if (!stored.startsWith("#")) {
				line.append(stored.strip()).append('\n');
			}
		}
		return line.toString();
	}

	/**
	 * Live records of other processes (and this one) holding ports of a block, for a
	 * refusal that names who.
	 * @param directory a runtime directory
	 * @param protocol the protocol
	 * @param block the block
	 * @return "pid 123 (java -jar app.jar)" for each live holder overlapping the block
	 */
	static List<String> holdersOf(Path directory, Protocol protocol, PortBlock block) {
		List<String> holders = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
			for (Path file : files) {
				Properties record = read(file);
				if (record == null || !live(record) || !inThisNetworkNamespace(record)) {
					continue;
				}
				for (int i = 0; record.getProperty("block." + i) != null; i++) {
					Held held = Held.parse(record.getProperty("block." + i));
					if (held != null && held.protocol() == protocol && held.block().overlaps(block)) {
						holders
							.add("pid " + record.getProperty("pid") + " (" + record.getProperty("command", "") + ")");
						break;
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Only the message loses its detail.
		}
		return holders;
	}

	private static Properties read(Path file) {
		Properties record = new Properties();
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			record.load(in);
			return record;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Ports are per network namespace: a holder in another one (another container) holds
	 * other ports.
	 */
	private static boolean inThisNetworkNamespace(Properties record) {
		try {
			Path theirs = Path.of("/proc", record.getProperty("pid", ""), "ns", "net");
			return Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
		}
		catch (IOException | RuntimeException ex) {
			// Not readable (another user's process): keep it rather than hide a holder.
			return true;
		}
	}

	private static boolean live(Properties record) {
		try {
			String startTime = ProcessIdentity.startTime(Long.parseLong(record.getProperty("pid", "")));
			return startTime != null && startTime.equals(record.getProperty("starttime"));
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * A block as the registry lists it.
	 *
	 * @param protocol its protocol
	 * @param block its ports
	 * @param kind runtime or persistent
	 */
	record Held(Protocol protocol, PortBlock block, ReservationKind kind) {

		@Override
		public String toString() {
			return this.protocol.name().toLowerCase(Locale.ROOT) + " " + this.block.startPort() + " "
					+ this.block.count() + " " + this.kind.name().toLowerCase(Locale.ROOT);
		}

		static Held parse(String value) {
			try {
				String[] fields = value.strip().split("\\s+");
				return new Held(Protocol.valueOf(fields[0].toUpperCase(Locale.ROOT)),
						new PortBlock(Integer.parseInt(fields[1]), Integer.parseInt(fields[2])),
						ReservationKind.valueOf(fields[3].toUpperCase(Locale.ROOT)));
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		// Identity, not value: two reservations of one block in one process are two
		// entries.
		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
