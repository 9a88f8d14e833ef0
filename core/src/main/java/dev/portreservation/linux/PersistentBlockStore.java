package dev.portreservation.linux;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Persistent blocks: an entry in {@code ip_local_reserved_ports} (which keeps the kernel from handing the
 * ports out automatically) plus a record file per block in a state directory, from which a restarted process
 * finds its block.
 * <p>
 * Rules, all applied under a lock (an in-JVM lock and a file lock on {@code .lock} in the namespace's state
 * directory, so processes serialise too), because writing the sysctl replaces the whole list:
 * <ul>
 * <li>Records live in a subdirectory per network namespace, because the sysctl is per namespace.</li>
 * <li>The sysctl is read, edited and written back in full; entries this store did not add are kept.</li>
 * <li>A record whose range is no longer fully in the sysctl (a reboot, an administrator's edit) is stale: it
 * is deleted and the block counts as not found.</li>
 * <li>The sysctl is not per protocol. A TCP and a UDP block of exactly the same range share one entry; it is
 * removed with the last of their records. Any other overlap with a recorded block is a conflict.</li>
 * <li>A block lying entirely inside ports that are already reserved and recorded by nobody (an administrator
 * reserved them, for example in sysctl.conf) is adopted: recorded without writing the sysctl, so creating it
 * needs no privilege, and deleting it leaves the administrator's entry alone. A block partly inside such
 * ports is a conflict.</li>
 * </ul>
 */
final class PersistentBlockStore {

	/** One lock for the whole JVM: a file lock is per process and throws when one JVM asks twice. */
	private static final ReentrantLock JVM_LOCK = new ReentrantLock();

	private static final SecureRandom TOKENS = new SecureRandom();

	private static final String LOCK_FILE = ".lock";

	private static final String RECORD_SUFFIX = ".properties";

	private static final long EPERM = 1;

	private static final long EACCES = 13;

	private static final long EROFS = 30;

	private final Path reservedPortsFile;

	private final Path namespaceDirectory;

	/**
	 * @param reservedPortsFile the sysctl file ({@code /proc/sys/net/ipv4/ip_local_reserved_ports})
	 * @param stateDirectory where records are kept
	 * @param namespaceId the network namespace the sysctl belongs to
	 */
	PersistentBlockStore(Path reservedPortsFile, Path stateDirectory, String namespaceId) {
		this.reservedPortsFile = reservedPortsFile;
		this.namespaceDirectory = stateDirectory.resolve("netns-" + namespaceId);
	}

	Path namespaceDirectory() {
		return this.namespaceDirectory;
	}

	/**
	 * Records a new block and reserves its ports.
	 * @param protocol the protocol
	 * @param block the block
	 * @return the new record
	 */
	BlockRecord create(Protocol protocol, PortBlock block) {
		return locked(protocol, block, true, (writable) -> {
			ReservedPorts reserved = readReservedPorts(protocol, block);
			List<BlockRecord> records = liveRecords(reserved);
			BlockRecord sibling = null;
			for (BlockRecord existing : records) {
				if (existing.block().equals(block) && existing.protocol() == protocol) {
					throw new PortReservationException(Reason.CONFLICT, "A persistent " + protocol
							+ " block of exactly these ports exists already; look it up instead of creating it",
							block, protocol, null, null);
				}
				if (existing.block().equals(block)) {
					sibling = existing;
				}
				else if (existing.block().overlaps(block)) {
					throw new PortReservationException(Reason.CONFLICT, "The block overlaps the persistent "
							+ existing.protocol() + " block " + existing.block() + "; choose ports outside it "
							+ "(on Linux one reservation covers TCP and UDP, so only identical blocks can be "
							+ "shared between the protocols)", block, protocol, null, null);
				}
			}
			boolean addedToSysctl;
			boolean writeSysctl = false;
			if (sibling != null) {
				addedToSysctl = sibling.addedToSysctl();
			}
			else if (reserved.within(block).isEmpty()) {
				addedToSysctl = true;
				writeSysctl = true;
			}
			else if (reserved.containsAll(block)) {
				addedToSysctl = false;
			}
			else {
				throw new PortReservationException(Reason.CONFLICT, "Ports " + reserved.within(block)
						+ " of the block are already in " + this.reservedPortsFile + ", reserved by someone "
						+ "else; choose a block outside them or reserve the whole block there", block, protocol,
						null, null);
			}
			if (writeSysctl) {
				writeReservedPorts(protocol, block, reserved.with(block));
			}
			BlockRecord record = new BlockRecord(protocol, block, newToken(), addedToSysctl);
			try {
				writeRecord(record);
			}
			catch (IOException | RuntimeException ex) {
				if (writeSysctl) {
					writeReservedPorts(protocol, block, readReservedPorts(protocol, block).without(block));
				}
				throw failure(protocol, block, "Writing the record of the block in " + this.namespaceDirectory
						+ " failed; the block was not reserved", ex);
			}
			return record;
		});
	}

	/**
	 * Finds the record of a block whose ports are still reserved.
	 * @param protocol the protocol
	 * @param block the block
	 * @return the record, or empty when there is none or it was stale (it is then deleted)
	 */
	Optional<BlockRecord> lookup(Protocol protocol, PortBlock block) {
		if (!Files.isDirectory(this.namespaceDirectory)) {
			return Optional.empty();
		}
		return locked(protocol, block, false, (writable) -> {
			Path file = recordFile(protocol, block);
			if (!Files.exists(file)) {
				return Optional.<BlockRecord>empty();
			}
			BlockRecord record = readRecord(file);
			if (readReservedPorts(protocol, block).containsAll(block)) {
				return Optional.of(record);
			}
			if (writable) {
				Files.deleteIfExists(file);
			}
			return Optional.<BlockRecord>empty();
		});
	}

	/**
	 * Deletes the record of a block and, when no other record shares the range and this store added it,
	 * removes exactly the block's range from the sysctl.
	 * @param protocol the protocol
	 * @param block the block
	 */
	void delete(Protocol protocol, PortBlock block) {
		PortReservationException notFound = new PortReservationException(Reason.NOT_FOUND,
				"No persistent " + protocol + " block of exactly these ports is recorded in "
						+ this.namespaceDirectory + " with its ports still in " + this.reservedPortsFile,
				block, protocol, null, null);
		if (!Files.isDirectory(this.namespaceDirectory)) {
			throw notFound;
		}
		locked(protocol, block, true, (writable) -> {
			ReservedPorts reserved = readReservedPorts(protocol, block);
			List<BlockRecord> records = liveRecords(reserved);
			BlockRecord target = null;
			boolean shared = false;
			for (BlockRecord existing : records) {
				if (existing.block().equals(block)) {
					if (existing.protocol() == protocol) {
						target = existing;
					}
					else {
						shared = true;
					}
				}
			}
			if (target == null) {
				throw notFound;
			}
			if (!shared && target.addedToSysctl()) {
				writeReservedPorts(protocol, block, reserved.without(block));
			}
			Files.delete(recordFile(protocol, block));
			return null;
		});
	}

	/**
	 * Reads the sysctl.
	 * @param protocol for the error
	 * @param block for the error
	 * @return the reserved ports
	 */
	ReservedPorts readReservedPorts(Protocol protocol, PortBlock block) {
		try {
			return ReservedPorts.parse(ProcFile.read(this.reservedPortsFile));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw failure(protocol, block, "Reading " + this.reservedPortsFile + " failed", ex);
		}
	}

	private void writeReservedPorts(Protocol protocol, PortBlock block, ReservedPorts wanted) {
		try {
			// The kernel ignores an empty write; a lone newline is how the list is cleared.
			Files.writeString(this.reservedPortsFile, wanted.format() + "\n", StandardCharsets.US_ASCII,
					StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
		}
		catch (IOException ex) {
			throw failure(protocol, block, "Writing " + this.reservedPortsFile + " failed", ex);
		}
		ReservedPorts written = readReservedPorts(protocol, block);
		if (!written.equals(wanted)) {
			throw new PortReservationException(Reason.SYSTEM_ERROR, this.reservedPortsFile + " reads back as '"
					+ written + "' after writing '" + wanted + "'", block, protocol, null, null);
		}
	}

	/**
	 * Maps a failed file operation to the reason a caller can act on.
	 * @param protocol the protocol
	 * @param block the block
	 * @param what what failed
	 * @param ex the failure
	 * @return the exception to throw
	 */
	static PortReservationException failure(Protocol protocol, PortBlock block, String what, Exception ex) {
		if (ex instanceof PortReservationException failure) {
			return failure;
		}
		Long errno = deniedErrno(ex);
		if (errno != null) {
			// A FileSystemException's message repeats its path, which 'what' names already: only the reason.
			String detail = (ex instanceof FileSystemException fileSystem)
					? ((fileSystem.getReason() != null) ? fileSystem.getReason() : "permission denied") : ex.getMessage();
			return new PortReservationException(Reason.ACCESS_DENIED, what + ": " + detail
					+ ". A persistent block needs CAP_NET_ADMIN in this network namespace (run as root or grant "
					+ "the capability) and a writable state directory (system property "
					+ LinuxPortReservations.STATE_DIRECTORY_PROPERTY + "); without them use "
					+ "portreservation.kind=runtime, which needs no privilege", block, protocol, errno, ex);
		}
		return new PortReservationException(Reason.SYSTEM_ERROR, what + ": " + ex, block, protocol, null, ex);
	}

	private static Long deniedErrno(Exception ex) {
		if (ex instanceof AccessDeniedException) {
			return EACCES;
		}
		String reason = (ex instanceof FileSystemException fileSystem) ? fileSystem.getReason() : ex.getMessage();
		if (reason == null) {
			return null;
		}
		String lower = reason.toLowerCase(Locale.ROOT);
		if (lower.contains("operation not permitted")) {
			return EPERM;
		}
		if (lower.contains("permission denied")) {
			return EACCES;
		}
		if (lower.contains("read-only file system")) {
			return EROFS;
		}
		return null;
	}

	private List<BlockRecord> liveRecords(ReservedPorts reserved)
			throws IOException {
		List<BlockRecord> live = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.namespaceDirectory, "*" + RECORD_SUFFIX)) {
			for (Path file : files) {
				BlockRecord record = readRecord(file);
				if (reserved.containsAll(record.block())) {
					live.add(record);
				}
				else {
					Files.deleteIfExists(file);
				}
			}
		}
		return live;
	}

	private Path recordFile(Protocol protocol, PortBlock block) {
		return this.namespaceDirectory.resolve(protocol.name().toLowerCase(Locale.ROOT) + "-" + block.startPort()
				+ "-" + block.endPort() + RECORD_SUFFIX);
	}

	private BlockRecord readRecord(Path file) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		try {
			BlockRecord record = new BlockRecord(Protocol.valueOf(properties.getProperty("protocol")),
					PortBlock.parse(properties.getProperty("block")), Long.parseLong(properties.getProperty("token")),
					BlockRecord.ADDED.equals(properties.getProperty("sysctl-entry")));
			if (!file.getFileName().equals(recordFile(record.protocol(), record.block()).getFileName())) {
				throw new IllegalArgumentException("its contents describe " + record.protocol() + " "
						+ record.block());
			}
			return record;
		}
		catch (RuntimeException ex) {
			throw new PortReservationException(Reason.SYSTEM_ERROR, "The persistent block record " + file
					+ " is damaged (" + ex.getMessage() + "); delete it and check " + this.reservedPortsFile
					+ " for its ports", null, null, null, ex);
		}
	}

	private void writeRecord(BlockRecord record) throws IOException {
		Path file = recordFile(record.protocol(), record.block());
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			writer.write("# A persistent port block of portreservation. Deleting this file forgets the block;\n");
			writer.write("# delete it through the library so its ports also leave ip_local_reserved_ports.\n");
			writer.write("protocol=" + record.protocol() + "\n");
			writer.write("block=" + record.block().startPort() + "-" + record.block().endPort() + "\n");
			writer.write("token=" + record.token() + "\n");
			writer.write("sysctl-entry=" + (record.addedToSysctl() ? BlockRecord.ADDED : BlockRecord.ADOPTED) + "\n");
			writer.write("created=" + Instant.now() + "\n");
			writer.write("pid=" + ProcessHandle.current().pid() + "\n");
		}
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private static long newToken() {
		long token;
		do {
			token = TOKENS.nextLong() & Long.MAX_VALUE;
		}
		while (token == 0);
		return token;
	}

	private <T> T locked(Protocol protocol, PortBlock block, boolean forWrite, StoreAction<T> action) {
		JVM_LOCK.lock();
		try {
			if (forWrite) {
				Files.createDirectories(this.namespaceDirectory);
			}
			FileChannel lockChannel;
			try {
				lockChannel = FileChannel.open(this.namespaceDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE);
			}
			catch (AccessDeniedException | NoSuchFileException ex) {
				if (forWrite) {
					throw ex;
				}
				// A reader without write access to the state directory: read without the lock and change
				// nothing; records are replaced atomically, so a read never sees half a record.
				return action.run(false);
			}
			try (lockChannel; FileLock lock = lockChannel.lock()) {
				return action.run(true);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw failure(protocol, block, "Updating the persistent block state in " + this.namespaceDirectory
					+ " failed", ex);
		}
		finally {
			JVM_LOCK.unlock();
		}
	}

	@FunctionalInterface
	private interface StoreAction<T> {

		T run(boolean writable) throws IOException;

	}

	/**
	 * What the state directory records about a persistent block.
	 *
	 * @param protocol the protocol
	 * @param block the block
	 * @param token the token reported by reservations of the block
	 * @param addedToSysctl whether this library added the range to {@code ip_local_reserved_ports} (and so
	 * removes it on delete), as opposed to adopting ports an administrator reserved
	 */
	record BlockRecord(Protocol protocol, PortBlock block, long token, boolean addedToSysctl) {

		static final String ADDED = "added";

		static final String ADOPTED = "adopted";

	}

}
