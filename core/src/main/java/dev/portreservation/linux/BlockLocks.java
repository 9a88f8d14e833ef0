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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.CommandLineSummary;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Cross-process claims on runtime blocks: a byte-range lock on a lock file per protocol
 * and network namespace ({@code tcp-netns-<inode>.lock}, {@code udp-netns-<inode>.lock})
 * in the {@link RuntimeDirectory}, covering bytes {@code startPort .. endPort} of the
 * block. The kernel drops the lock when the process ends, however it ends, so a claim
 * tells "a live process of this library holds these ports" from "leftovers of a process
 * that is gone", which the socket tables cannot: holder sockets never appear there, and a
 * holder bound beside leftover connections must be allowed what a second process must
 * not.
 * <p>
 * The locks are POSIX record locks ({@code fcntl}), which the kernel releases for the
 * whole process as soon as the process closes <em>any</em> descriptor of the file; so
 * each lock file is opened once per JVM and never closed.
 */
final class BlockLocks {

	private static final Map<Path, FileChannel> FILES = new ConcurrentHashMap<>();

	private BlockLocks() {
	}

	/**
	 * Claims a block for this process.
	 * @param directory the runtime directory, already checked
	 * @param protocol the block's protocol
	 * @param block the block
	 * @return the lock; releasing it gives the claim up
	 * @throws PortReservationException {@code CONFLICT} naming the live holders when a
	 * port of the block is claimed by another reservation of this process or by another
	 * live process
	 */
	static FileLock claim(Path directory, Protocol protocol, PortBlock block) {
		// Ports belong to a network namespace (a container has its own), the directory to
		// a user: one lock file
		// per protocol and namespace.
		FileChannel file = open(directory.resolve(protocol.name().toLowerCase(Locale.ROOT) + "-netns-"
				+ LinuxPortReservations.networkNamespaceId() + ".lock"), protocol, block);
		FileLock lock;
		try {
			lock = file.tryLock(block.startPort(), block.count(), false);
		}
		catch (OverlappingFileLockException ex) {
			throw new PortReservationException(Reason.CONFLICT, "Ports of the block are held by another reservation "
					+ "of this process; close it first or choose another block", block, protocol, null, null);
		}
		catch (IOException ex) {
			throw new PortReservationException(Reason.SYSTEM_ERROR,
					"Cannot lock the block in " + directory + ": " + ex.getMessage(), block, protocol, null, ex);
		}
		if (lock == null) {
			List<String> holders = holders(directory, protocol, block);
			throw new PortReservationException(Reason.CONFLICT,
					"Ports of the block are held by another live process " + "using this library"
							+ (holders.isEmpty() ? "" : ": " + String.join(", ", holders))
							+ "; choose another block or stop that process",
					block, protocol, null, null);
		}
		return lock;
	}

	// The live processes of this network namespace the registry names for the block, each
	// by what it runs: its command line read in full from /proc (the record keeps a
	// bounded copy), summarised.
	private static List<String> holders(Path directory, Protocol protocol, PortBlock block) {
		List<String> holders = new ArrayList<>();
		try {
			for (HolderRecords.Record record : new HolderRecords(Map.of(directory, Uids.effective())).live()) {
				boolean overlaps = record.blocks()
					.stream()
					.anyMatch((held) -> held.protocol() == protocol && held.block().overlaps(block));
				if (overlaps && LinuxProcesses.inThisNetworkNamespace(record.pid()).orElse(true)) {
					String command = LinuxProcesses.commandLine(record.pid()).orElse(record.command());
					holders.add("pid " + record.pid() + ((command == null || command.isBlank()) ? ""
							: " (" + CommandLineSummary.of(command) + ")"));
				}
			}
		}
		catch (RuntimeException ex) {
			// Only the message loses its detail.
		}
		return holders;
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
					throw new PortReservationException(Reason.SYSTEM_ERROR, "Cannot open the lock file " + path + ": "
							+ ex.getMessage() + "; remove it so it is created again", block, protocol, null, ex);
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

}
