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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import org.jspecify.annotations.Nullable;

/**
 * Writes the holder registry: one file per live process, {@code <pid>.holders} in the
 * first of the user's {@link RuntimeDirectory runtime directories}, listing the blocks
 * the process holds, so that a command line tool (or a refused process) can name who
 * holds a port. {@link HolderRecordFormat} owns the format (writer and reader),
 * {@link HolderRecords} is the only reader; this class keeps the process's blocks and
 * writes the file: atomically (a new file in the same directory, then a rename) and mode
 * 0600, rewritten whenever the set of blocks changes, removed when the process holds none
 * and on a clean exit. Lease lines are read from each reservation's own lease table once
 * a second, by another thread, and written when they changed: a bind or a release never
 * calls into the registry, so the record costs the bind path nothing.
 */
final class HolderRegistry {

	/**
	 * How many other files the first registration of a process looks at for leftovers.
	 */
	static final int SWEEP_LIMIT = 64;

	/** How often the held blocks' leases are read for a rewrite of the record. */
	private static final long LEASE_POLL_MILLIS = 1000;

	private static final Map<Path, HolderRegistry> REGISTRIES = new ConcurrentHashMap<>();

	private final Path directory;

	private final ProcessIdentity self;

	private final List<Held> blocks = new ArrayList<>();

	private boolean exitHookAdded;

	/** Reads the leases once a second while a block is held; guarded by this registry. */
	private @Nullable ScheduledFuture<?> leasePoll;

	/** The lease lines last written (or being written); guarded by this registry. */
	private List<HolderRecords.Lease> writtenLeases = List.of();

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
		if (this.leasePoll == null) {
			this.leasePoll = LeasePoller.EXECUTOR.scheduleWithFixedDelay(this::writeChangedLeases, LEASE_POLL_MILLIS,
					LEASE_POLL_MILLIS, TimeUnit.MILLISECONDS);
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
			if (this.blocks.isEmpty() && this.leasePoll != null) {
				this.leasePoll.cancel(false);
				this.leasePoll = null;
			}
			// The block's lease lines go with it. Lease tables are never read under this
			// registry's lock: a reservation closing under its own lock comes here.
			this.writtenLeases = this.writtenLeases.stream().filter(this::onHeldBlock).toList();
			try {
				write();
			}
			catch (IOException ex) {
				// See above: stale by one block at worst.
			}
		}
	}

	/**
	 * Rewrites the record when the held blocks' leases changed since the last write; run
	 * once a second by the poller, outside the bind path. Reading a lease table takes its
	 * reservation's lock for a copy, never this registry's lock.
	 */
	void writeChangedLeases() {
		try {
			List<Held> held;
			synchronized (this) {
				held = List.copyOf(this.blocks);
			}
			List<HolderRecords.Lease> now = leaseLines(held);
			String content;
			long taken;
			synchronized (this) {
				if (now.equals(this.writtenLeases) || !this.blocks.equals(held)) {
					// Unchanged, or a block came or went meanwhile (that change wrote the
					// record; the next poll sees its leases).
					return;
				}
				this.writtenLeases = now;
				content = content(now);
				taken = ++this.version;
			}
			writeFile(content, taken);
		}
		catch (IOException | RuntimeException ex) {
			// Only the owner names lag; the blocks were written when they changed.
		}
	}

	private boolean onHeldBlock(HolderRecords.Lease lease) {
		for (Held held : this.blocks) {
			if (held.protocol() == lease.protocol() && held.block().block().contains(lease.port())) {
				return true;
			}
		}
		return false;
	}

	private static List<HolderRecords.Lease> leaseLines(List<Held> held) {
		List<HolderRecords.Lease> lines = new ArrayList<>();
		for (Held block : held) {
			for (PortLease lease : block.leases()) {
				lines.add(new HolderRecords.Lease(block.protocol(), lease.port(), lease.owner()));
			}
		}
		return lines;
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
	private @Nullable String content() {
		return content(this.writtenLeases);
	}

	private @Nullable String content(List<HolderRecords.Lease> leaseLines) {
		if (this.blocks.isEmpty()) {
			return null;
		}
		List<HolderRecordFormat.HeldBlock> written = new ArrayList<>(this.blocks.size());
		for (Held held : this.blocks) {
			List<HolderRecords.Lease> leases = new ArrayList<>();
			for (HolderRecords.Lease lease : leaseLines) {
				if (lease.protocol() == held.protocol() && held.block().block().contains(lease.port())) {
					leases.add(lease);
				}
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

		private volatile Supplier<List<PortLease>> leases = List::of;

		Held(Protocol protocol, PortBlock block, ReservationKind kind) {
			this.block = new HolderRecords.Block(protocol, block, kind);
		}

		/**
		 * @param leases where the block's current leases are read (the reservation's
		 * lease table), once a second
		 */
		void leasesFrom(Supplier<List<PortLease>> leases) {
			this.leases = leases;
		}

		List<PortLease> leases() {
			return this.leases.get();
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

	/** The one daemon thread that reads leases for every registry of this JVM. */
	private static final class LeasePoller {

		static final ScheduledThreadPoolExecutor EXECUTOR = executor();

		private static ScheduledThreadPoolExecutor executor() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "portreservation-holder-leases");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			executor.setKeepAliveTime(10, TimeUnit.SECONDS);
			executor.allowCoreThreadTimeOut(true);
			return executor;
		}

	}

}
