package dev.portreservation.linux;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * Writes the holder registry: one file per live process, {@code <pid>.holders} in the
 * first of the user's {@link RuntimeDirectory runtime directories}, listing the blocks
 * the process holds, so that a command line tool (or a refused process) can name who
 * holds a port. {@link HolderRecordFormat} owns the format (writer and reader),
 * {@link HolderRecords} is the only reader; this class keeps the process's blocks and
 * leases and writes the file: atomically (a new file in the same directory, then a
 * rename) and mode 0600, rewritten whenever the set of blocks changes, removed when the
 * process holds none and on a clean exit. Lease lines are written shortly after the
 * change, by another thread, so that a bind never waits for a file.
 */
final class HolderRegistry {

	/**
	 * How many other files the first registration of a process looks at for leftovers.
	 */
	static final int SWEEP_LIMIT = 64;

	/** How long lease changes are gathered before the record is rewritten. */
	private static final long LEASE_WRITE_DELAY_MILLIS = 1000;

	private static final Map<Path, HolderRegistry> REGISTRIES = new ConcurrentHashMap<>();

	private final Path directory;

	private final ProcessIdentity self;

	private final List<Held> blocks = new ArrayList<>();

	private final Map<Held, Map<Integer, PortLease>> leases = new HashMap<>();

	private boolean exitHookAdded;

	private boolean leaseWritePending;

	/** The version of the record's content last taken; guarded by this registry. */
	private long version;

	/**
	 * Serialises the file writes, which run outside this registry's lock so a bind that
	 * notes a lease never waits for file I/O.
	 */
	private final Object files = new Object();

	/** The version of the content last written; guarded by {@link #files}. */
	private long writtenVersion;

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
		return this.directory.resolve(HolderRecordFormat.fileName(this.self.pid()));
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
		this.leases.remove(held);
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
	 * Notes that a port of a held block was leased to a named owner (a channel bound
	 * through the reservation, or a lent port); the record shows it shortly after.
	 * @param held the block
	 * @param lease the lease
	 */
	synchronized void leased(Held held, PortLease lease) {
		if (this.blocks.contains(held)) {
			this.leases.computeIfAbsent(held, (key) -> new HashMap<>()).put(lease.port(), lease);
			scheduleLeaseWrite();
		}
	}

	/**
	 * Notes that a lease ended (only that lease: a later one of the same port stays).
	 * @param held the block
	 * @param lease the lease that ended
	 */
	synchronized void released(Held held, PortLease lease) {
		Map<Integer, PortLease> ports = this.leases.get(held);
		if (ports != null && ports.remove(lease.port(), lease)) {
			scheduleLeaseWrite();
		}
	}

	private void scheduleLeaseWrite() {
		if (!this.leaseWritePending) {
			this.leaseWritePending = true;
			CompletableFuture.runAsync(this::writeLeases,
					CompletableFuture.delayedExecutor(LEASE_WRITE_DELAY_MILLIS, TimeUnit.MILLISECONDS));
		}
	}

	private void writeLeases() {
		try {
			String content;
			long taken;
			synchronized (this) {
				this.leaseWritePending = false;
				content = content();
				taken = ++this.version;
			}
			writeFile(content, taken);
		}
		catch (IOException ex) {
			// Only the owner names lag; the blocks were written when they changed.
		}
	}

	/**
	 * Records of processes that ended without a clean exit ({@code kill -9}, a crash)
	 * stay behind; the first registration of each process removes those among the first
	 * {@value #SWEEP_LIMIT} other files of the directory, so the directory does not fill
	 * up and the cost does not grow with what is there: each process removes up to that
	 * many, and {@code kill -9} leaves one.
	 * @return how many files were looked at
	 */
	int removeDeadRecords() {
		int looked = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, HolderRecordFormat.GLOB)) {
			Iterator<Path> iterator = files.iterator();
			while (looked < SWEEP_LIMIT && iterator.hasNext()) {
				Path file = iterator.next();
				if (file.equals(file())) {
					continue;
				}
				looked++;
				if (dead(file)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Only tidiness suffers.
		}
		return looked;
	}

	/**
	 * A record (in this user's own directory) is dead when its name is no pid, or no
	 * process has that pid, or the one that has it started at another time than recorded.
	 */
	private static boolean dead(Path file) {
		OptionalLong pid = HolderRecordFormat.pidOf(file);
		if (pid.isEmpty()) {
			return true;
		}
		OptionalLong started = ProcessSockets.startTime(pid.getAsLong());
		if (started.isEmpty()) {
			return true;
		}
		// Alive: a record the reader would not take for that process (another start
		// time, another user's process) is dead too.
		return HolderRecords.read(file, Uids.effective()) == null;
	}

	private void removeOnExit() {
		long taken;
		synchronized (this) {
			this.blocks.clear();
			taken = ++this.version;
		}
		try {
			writeFile(null, taken);
		}
		catch (IOException ex) {
			// The record is dead with the process; readers skip it.
		}
	}

	/** Writes the record now; the caller holds this registry's lock. */
	private void write() throws IOException {
		writeFile(content(), ++this.version);
	}

	/**
	 * @return the record's content, or {@code null} when no block is held (no record);
	 * the caller holds this registry's lock
	 */
	private String content() {
		if (this.blocks.isEmpty()) {
			return null;
		}
		List<HolderRecordFormat.HeldBlock> written = new ArrayList<>(this.blocks.size());
		for (Held held : this.blocks) {
			List<HolderRecords.Lease> leases = new ArrayList<>();
			for (PortLease lease : this.leases.getOrDefault(held, Map.of()).values()) {
				leases.add(new HolderRecords.Lease(held.block().protocol(), lease.port(), lease.owner()));
			}
			written.add(new HolderRecordFormat.HeldBlock(held.block(), leases));
		}
		return HolderRecordFormat.write(this.self.pid(), this.self.startTime(), this.self.command(), Uids.effective(),
				written);
	}

	/**
	 * Writes a content taken at a version, unless a later one was written already (a
	 * lease write that took its content before a block changed must not undo it).
	 * @param content the record, or {@code null} to remove it
	 */
	private void writeFile(String content, long taken) throws IOException {
		synchronized (this.files) {
			if (taken < this.writtenVersion) {
				return;
			}
			this.writtenVersion = taken;
			Path file = file();
			if (content == null) {
				Files.deleteIfExists(file);
				return;
			}
			writeRecord(file, content);
		}
	}

	private void writeRecord(Path file, String content) throws IOException {
		// createTempFile opens with O_EXCL (never through a planted link); the rename
		// replaces the name itself.
		Path temporary = Files.createTempFile(this.directory, "." + this.self.pid() + ".", ".tmp",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try {
			Files.getFileAttributeView(temporary, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setPermissions(PosixFilePermissions.fromString("rw-------"));
			Files.write(temporary, content.getBytes(StandardCharsets.ISO_8859_1), LinkOption.NOFOLLOW_LINKS);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * A block as this process holds it: one entry per reservation (identity, not value:
	 * two reservations of one block in one process are two entries).
	 */
	static final class Held {

		private final HolderRecords.Block block;

		Held(Protocol protocol, PortBlock block, ReservationKind kind) {
			this.block = new HolderRecords.Block(protocol, block, kind);
		}

		HolderRecords.Block block() {
			return this.block;
		}

		Protocol protocol() {
			return this.block.protocol();
		}

		@Override
		public String toString() {
			return this.block.format();
		}

	}

}
