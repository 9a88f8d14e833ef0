package dev.portreservation.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Cross-process claims on runtime blocks: a byte-range lock on a lock file per protocol
 * and network namespace ({@code tcp-netns-<inode>.lock}, {@code udp-netns-<inode>.lock})
 * in each of the user's {@link RuntimeDirectory runtime directories}, covering bytes
 * {@code startPort .. endPort} of the block. The kernel drops the lock when the process
 * ends, however it ends, so a claim tells "a live process of this library holds these
 * ports" from "leftovers of a process that is gone", which the socket tables cannot:
 * holder sockets never appear there, and a holder bound beside leftover connections must
 * be allowed what a second process must not.
 * <p>
 * The locks are POSIX record locks ({@code fcntl}), which the kernel releases for the
 * whole process as soon as the process closes <em>any</em> descriptor of the file; so
 * each lock file is opened once per JVM and never closed.
 * <p>
 * A refused claim names who holds the lock from the kernel's lock table
 * ({@link FileLockTable}), not from a record anyone could write; a lock that covers bytes
 * no block uses (a whole-file lock) was made by something else than this library and is
 * reported as such, never taken for busy ports.
 */
final class BlockLocks {

	private static final Map<Path, FileChannel> FILES = new ConcurrentHashMap<>();

	private BlockLocks() {
	}

	/**
	 * Claims a block for this process in every runtime directory of the user.
	 * @param directories the runtime directories, already checked
	 * @param protocol the block's protocol
	 * @param block the block
	 * @return the locks; releasing them gives the claim up
	 * @throws PortReservationException {@code CONFLICT} naming the live holders when a
	 * port of the block is claimed by another reservation of this process or by another
	 * live process; {@code SYSTEM_ERROR} naming the process when a lock no reservation
	 * makes (one over bytes that are no port) is in the way
	 */
	static Claimed claim(List<Path> directories, Protocol protocol, PortBlock block) {
		List<FileLock> locks = new ArrayList<>();
		try {
			for (Path directory : directories) {
				locks.add(claim(directory, directories, protocol, block));
			}
		}
		catch (RuntimeException ex) {
			release(locks);
			throw ex;
		}
		return new Claimed(List.copyOf(locks));
	}

	static String lockFileName(Protocol protocol) {
		// Ports belong to a network namespace (a container has its own), the directory to
		// a user: one lock file per protocol and namespace.
		return protocol.name().toLowerCase(Locale.ROOT) + "-netns-" + LinuxPortReservations.networkNamespaceId()
				+ ".lock";
	}

	private static FileLock claim(Path directory, List<Path> directories, Protocol protocol, PortBlock block) {
		Path path = directory.resolve(lockFileName(protocol));
		FileChannel file = open(path, protocol, block);
		FileLock lock;
		try {
			lock = file.tryLock(block.startPort(), block.count(), false);
		}
		catch (OverlappingFileLockException ex) {
			throw failure(Reason.CONFLICT, "Ports of the block are held by another reservation of this process; close "
					+ "it first or choose another block", protocol, block)
				.path(path)
				.build();
		}
		catch (IOException ex) {
			throw failure(Reason.SYSTEM_ERROR, "Cannot lock the block in " + directory + ": " + ex.getMessage(),
					protocol, block)
				.nativeCode(nativeCode(ex))
				.path(path)
				.cause(ex)
				.build();
		}
		if (lock == null) {
			throw refused(path, directories, protocol, block);
		}
		return lock;
	}

	private static PortReservationException refused(Path path, List<Path> directories, Protocol protocol,
			PortBlock block) {
		List<PortHolder> holders = new ArrayList<>();
		for (FileLockTable.Lock lock : FileLockTable.overlapping(path, block.startPort(), block.endPort())) {
			// The record keeps a bounded copy of the command line: read it in full from
			// /proc.
			String command = LinuxProcesses.commandLine(lock.pid())
				.orElse(HolderRecords.command(lock.pid(), directories, Uids.effective()));
			if (lock.stray()) {
				String who = (lock.pid() < 0) ? "a process (an open file description lock: the kernel lists no pid)"
						: "pid " + lock.pid() + " (" + command + ")";
				return failure(Reason.SYSTEM_ERROR,
						"The lock file " + path + " is locked over bytes " + lock.range() + " by " + who
								+ ": no port reservation makes such a lock (a reservation locks only "
								+ "its ports' bytes), so it is no holder of this library, but it keeps every block "
								+ "from being claimed; stop that process",
						protocol, block)
					.path(path)
					.build();
			}
			// The locked bytes are the other process's block: the kernel's word.
			PortBlock theirs = new PortBlock((int) lock.first(), (int) (lock.last() - lock.first() + 1));
			holders.add(PortHolder.block(protocol, Math.max(block.startPort(), theirs.startPort()),
					PortHolder.Kind.RUNTIME_BLOCK, theirs, (lock.pid() < 0) ? PortHolder.UNKNOWN : lock.pid(),
					command.isEmpty() ? null : command, Uids.effective()));
		}
		return failure(Reason.CONFLICT,
				"Ports of the block are held by another live process using this library"
						+ PortHolder.describeAll(holders) + "; choose another block or stop that process",
				protocol, block)
			.path(path)
			.holders(holders)
			.build();
	}

	private static Long nativeCode(IOException ex) {
		OptionalInt errno = LinuxErrors.errno(ex);
		return errno.isPresent() ? LinuxErrors.code(errno.getAsInt()) : null;
	}

	private static void release(List<FileLock> locks) {
		for (FileLock lock : locks) {
			try {
				lock.release();
			}
			catch (IOException ex) {
				// The lock goes with the process at the latest.
			}
		}
	}

	/**
	 * The locks of one claim, one per runtime directory.
	 *
	 * @param locks the locks
	 */
	record Claimed(List<FileLock> locks) {

		void release() {
			BlockLocks.release(this.locks);
		}

	}

	private static FileChannel open(Path path, Protocol protocol, PortBlock block) {
		FileChannel file = FILES.get(path);
		if (file != null) {
			return file;
		}
		synchronized (FILES) {
			file = FILES.get(path);
			if (file == null) {
				try {
					file = openOwnerOnly(path);
				}
				catch (IOException ex) {
					throw failure(Reason.SYSTEM_ERROR,
							"Cannot open the lock file " + path + ": " + ex.getMessage()
									+ "; remove it so it is created again",
							protocol, block)
						.nativeCode(nativeCode(ex))
						.path(path)
						.cause(ex)
						.build();
				}
				FILES.put(path, file);
			}
			return file;
		}
	}

	private static FileChannel openOwnerOnly(Path path) throws IOException {
		FileChannel file = FileChannel.open(path,
				Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
						LinkOption.NOFOLLOW_LINKS),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try {
			PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isRegularFile() || Uids.owner(path) != Uids.effective()) {
				throw new IOException("not a regular file of this user");
			}
			Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setPermissions(PosixFilePermissions.fromString("rw-------"));
			return file;
		}
		catch (IOException | RuntimeException ex) {
			file.close();
			throw ex;
		}
	}

	/**
	 * A failure to claim a block, with what every one of them says: the block, the
	 * protocol, the operation and the backend.
	 */
	private static PortReservationException.Builder failure(Reason reason, String message, Protocol protocol,
			PortBlock block) {
		return PortReservationException.builder(reason, message)
			.block(block)
			.protocol(protocol)
			.operation(Operation.ACQUIRE_RUNTIME)
			.backend(LinuxPortReservations.NAME);
	}

}
