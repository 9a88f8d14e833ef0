package dev.portreservation.linux;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.portreservation.core.PersistentDeletion;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.BlockRecordFile.BlockRecord;
import dev.portreservation.linux.BlockRecordFile.Creator;

/**
 * Persistent blocks: an entry in {@code ip_local_reserved_ports} (which keeps the kernel
 * from handing the ports out automatically) plus a record file per block in a state
 * directory, from which a restarted process finds its block. This class holds the policy
 * and the locking; the sysctl's I/O is {@link IpLocalReservedPortsFile}, the record's
 * name, format and token {@link BlockRecordFile}, the trust of the directories
 * {@link StateDirectory}, and failures are built by {@link LinuxErrors}.
 * <p>
 * Rules, all applied under a lock (an in-JVM lock and a file lock on {@code .lock} in the
 * namespace's state directory, so processes serialise too), because writing the sysctl
 * replaces the whole list:
 * <ul>
 * <li>Records live in a subdirectory per network namespace, because the sysctl is per
 * namespace.</li>
 * <li>The sysctl is read, edited and written back in full; entries this store did not add
 * are kept.</li>
 * <li>A record whose range is no longer fully in the sysctl (a reboot, an administrator's
 * edit) is stale: it is deleted and the block counts as not found.</li>
 * <li>The sysctl is not per protocol. A TCP and a UDP block of exactly the same range
 * share one entry; it is removed with the last of their records. Any other overlap with a
 * recorded block is a conflict.</li>
 * <li>A block lying entirely inside ports that are already reserved and recorded by
 * nobody (an administrator reserved them, for example in sysctl.conf) is adopted:
 * recorded without writing the sysctl, so creating it needs no privilege, and deleting it
 * leaves the administrator's entry alone. A block partly inside such ports is a
 * conflict.</li>
 * <li>The state directory, its per-namespace directory, the lock and the records are
 * trusted only as {@link StateDirectory} allows (owner-only, no symbolic link followed,
 * atomic writes of {@code 0600} records).</li>
 * <li>A record that cannot be trusted or read (damaged, a link, another user's) is set
 * aside, renamed to {@code <name>.corrupt-<time>}, logged with its path and reported by
 * {@link #setAside()}; it never stops the other blocks.</li>
 * </ul>
 * <p>
 * Why one class of this size: it is the persistent block's policy (create, adopt, look
 * up, delete, take over a dead creator's record) under the namespace's lock, every path
 * of which must keep the sysctl and the record in step; the file formats and the sysctl
 * I/O live in {@link BlockRecordFile} and {@link IpLocalReservedPortsFile}.
 */
final class PersistentBlockStore {

	/**
	 * One lock for the whole JVM: a file lock is per process and throws when one JVM asks
	 * twice.
	 */
	private static final ReentrantLock JVM_LOCK = new ReentrantLock();

	private static final String LOCK_FILE = ".lock";

	private static final System.Logger LOGGER = System.getLogger(PersistentBlockStore.class.getName());

	private final IpLocalReservedPortsFile reservedPorts;

	private final Path reservedPortsFile;

	private final Path stateDirectory;

	private final Path namespaceDirectory;

	private final List<String> setAside = new CopyOnWriteArrayList<>();

	/**
	 * @param reservedPortsFile the sysctl file
	 * ({@code /proc/sys/net/ipv4/ip_local_reserved_ports})
	 * @param stateDirectory where records are kept
	 * @param namespaceId the network namespace the sysctl belongs to
	 */
	PersistentBlockStore(Path reservedPortsFile, Path stateDirectory, String namespaceId) {
		this.reservedPorts = new IpLocalReservedPortsFile(reservedPortsFile);
		this.reservedPortsFile = reservedPortsFile;
		this.stateDirectory = stateDirectory;
		this.namespaceDirectory = stateDirectory.resolve("netns-" + namespaceId);
	}

	Path namespaceDirectory() {
		return this.namespaceDirectory;
	}

	/**
	 * @return what this store set aside so far: one line per record, naming where it was
	 * and where it went
	 */
	List<String> setAside() {
		return List.copyOf(this.setAside);
	}

	/**
	 * @param create whether to create missing directories
	 * @return the real path of the namespace directory after every check, or {@code null}
	 * when it does not exist and {@code create} is false
	 */
	private Path trustedNamespaceDirectory(boolean create) {
		Path state = StateDirectory.secure(this.stateDirectory, create);
		if (state == null) {
			return null;
		}
		Path namespace = state.resolve(this.namespaceDirectory.getFileName());
		return StateDirectory.secureChild(namespace, create) ? namespace : null;
	}

	/**
	 * Records a new block and reserves its ports.
	 * @param protocol the protocol
	 * @param block the block
	 * @return the new record
	 */
	BlockRecord create(Protocol protocol, PortBlock block) {
		return locked(Operation.CREATE_PERSISTENT, protocol, block, true, (directory, writable) -> {
			IpLocalReservedPorts reserved = this.reservedPorts.read(Operation.CREATE_PERSISTENT, protocol, block);
			List<BlockRecord> records = liveRecords(directory, reserved, writable);
			BlockRecord sibling = null;
			for (BlockRecord existing : records) {
				if (existing.block().equals(block) && existing.protocol() == protocol) {
					throw conflict(protocol, block, directory, "A persistent " + protocol
							+ " block of exactly these ports exists already; look it up instead of creating it");
				}
				if (existing.block().equals(block)) {
					sibling = existing;
				}
				else if (existing.block().overlaps(block)) {
					throw conflict(protocol, block, directory,
							"The block overlaps the persistent " + existing.protocol() + " block " + existing.block()
									+ "; choose ports outside it (on Linux one reservation covers TCP and UDP, so "
									+ "only identical blocks can be shared between the protocols)");
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
				throw conflict(protocol, block, this.reservedPortsFile,
						"Ports " + reserved.within(block) + " of the block are already in " + this.reservedPortsFile
								+ ", reserved by someone else; choose a block outside them or reserve the whole block "
								+ "there");
			}
			if (writeSysctl) {
				this.reservedPorts.write(Operation.CREATE_PERSISTENT, protocol, block, reserved.with(block));
			}
			BlockRecord record = new BlockRecord(protocol, block, BlockRecordFile.newToken(), addedToSysctl,
					Creator.self());
			try {
				BlockRecordFile.write(directory, record);
			}
			catch (IOException | RuntimeException ex) {
				if (writeSysctl) {
					this.reservedPorts.write(Operation.CREATE_PERSISTENT, protocol, block,
							this.reservedPorts.read(Operation.CREATE_PERSISTENT, protocol, block).without(block));
				}
				throw LinuxErrors.stateFile(Operation.CREATE_PERSISTENT, protocol, block, directory,
						"Writing the record of the block in " + directory + " failed; the block was not reserved", ex);
			}
			return record;
		});
	}

	private static PortReservationException conflict(Protocol protocol, PortBlock block, Path path, String message) {
		return PortReservationException.builder(Reason.CONFLICT, message)
			.block(block)
			.protocol(protocol)
			.operation(Operation.CREATE_PERSISTENT)
			.path(path)
			.backend(LinuxPortReservations.NAME)
			.build();
	}

	/**
	 * Finds the record of a block whose ports are still reserved. When the process that
	 * created the block has ended (the record names its pid and start time) and this one
	 * may change the state directory, this process takes the creator's place: the record
	 * is rewritten naming it, under the lock, so exactly one process takes over, and a
	 * run that deletes the blocks it created on shutdown also cleans up what a killed run
	 * left.
	 * @param protocol the protocol
	 * @param block the block
	 * @return the record, and whether this process took the creator's place just now; or
	 * empty when there is none or it was stale (it is then deleted)
	 */
	Optional<Found> lookup(Protocol protocol, PortBlock block) {
		return locked(Operation.LOOKUP_PERSISTENT, protocol, block, false, (directory, writable) -> {
			Path file = BlockRecordFile.of(directory, protocol, block);
			if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
				return Optional.<Found>empty();
			}
			BlockRecord record = readRecordOrSetAside(file, writable);
			if (record == null) {
				return Optional.<Found>empty();
			}
			if (this.reservedPorts.read(Operation.LOOKUP_PERSISTENT, protocol, block).containsAll(block)) {
				if (writable && !record.creator().alive()) {
					BlockRecord takenOver = new BlockRecord(record.protocol(), record.block(), record.token(),
							record.addedToSysctl(), Creator.self());
					BlockRecordFile.write(directory, takenOver);
					return Optional.of(new Found(takenOver, true));
				}
				return Optional.of(new Found(record, false));
			}
			if (writable) {
				Files.deleteIfExists(file);
			}
			return Optional.<Found>empty();
		});
	}

	/**
	 * Deletes the record of a block and, when no other record shares the range and this
	 * store added it, removes exactly the block's range from the sysctl.
	 * @param protocol the protocol
	 * @param block the block
	 */
	PersistentDeletion delete(Protocol protocol, PortBlock block) {
		PortReservationException notFound = PortReservationException
			.builder(Reason.NOT_FOUND,
					"No persistent " + protocol + " block of exactly these ports is recorded in "
							+ this.namespaceDirectory + " with its ports still in " + this.reservedPortsFile)
			.block(block)
			.protocol(protocol)
			.operation(Operation.DELETE_PERSISTENT)
			.path(this.namespaceDirectory)
			.backend(LinuxPortReservations.NAME)
			.build();
		return locked(Operation.DELETE_PERSISTENT, protocol, block, false, (directory, writable) -> {
			if (!writable) {
				throw LinuxErrors.stateFile(Operation.DELETE_PERSISTENT, protocol, block, directory,
						"Deleting the record of the block", new AccessDeniedException(directory.toString()));
			}
			IpLocalReservedPorts reserved = this.reservedPorts.read(Operation.DELETE_PERSISTENT, protocol, block);
			List<BlockRecord> records = liveRecords(directory, reserved, true);
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
			PersistentDeletion outcome;
			if (shared) {
				outcome = PersistentDeletion.KEPT_FOR_OTHER_PROTOCOL;
			}
			else if (target.addedToSysctl()) {
				this.reservedPorts.write(Operation.DELETE_PERSISTENT, protocol, block, reserved.without(block));
				outcome = PersistentDeletion.RELEASED;
			}
			else {
				outcome = PersistentDeletion.KEPT_ADMINISTRATORS_RESERVATION;
			}
			Files.delete(BlockRecordFile.of(directory, protocol, block));
			return outcome;
		}, () -> {
			throw notFound;
		});
	}

	private List<BlockRecord> liveRecords(Path directory, IpLocalReservedPorts reserved, boolean writable)
			throws IOException {
		List<BlockRecord> live = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, BlockRecordFile.GLOB)) {
			for (Path file : files) {
				BlockRecord record = readRecordOrSetAside(file, writable);
				if (record == null) {
					continue;
				}
				if (reserved.containsAll(record.block())) {
					live.add(record);
				}
				else if (writable) {
					Files.deleteIfExists(file);
				}
			}
		}
		return live;
	}

	/**
	 * @param file a record file
	 * @param writable whether the directory may be changed (the lock is held)
	 * @return the record, or {@code null} when it could not be trusted or read; it is
	 * then set aside
	 */
	private BlockRecord readRecordOrSetAside(Path file, boolean writable) throws IOException {
		String untrusted = StateDirectory.untrustedFile(file);
		if (untrusted != null) {
			setAside(file, untrusted, writable);
			return null;
		}
		try {
			return BlockRecordFile.read(file);
		}
		catch (IOException | RuntimeException ex) {
			setAside(file, "it cannot be read (" + ex.getMessage() + ")", writable);
			return null;
		}
	}

	private void setAside(Path file, String why, boolean writable) {
		String report;
		if (writable && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
			Path aside = file
				.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toString().replace(':', '-'));
			try {
				Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
				report = "The persistent block record " + file + " was set aside as " + aside + " because " + why
						+ "; its block counts as not recorded. Check " + this.reservedPortsFile
						+ " for its ports, then delete the file";
			}
			catch (IOException ex) {
				report = "The persistent block record " + file + " is ignored because " + why
						+ " and could not be set aside (" + ex + ")";
			}
		}
		else {
			report = "The persistent block record " + file + " is ignored because " + why + " (not set aside: "
					+ (writable ? "a directory is never moved" : "this process cannot change the state directory")
					+ ")";
		}
		this.setAside.add(report);
		LOGGER.log(Level.WARNING, report);
	}

	private <T> T locked(Operation operation, Protocol protocol, PortBlock block, boolean forWrite,
			StoreAction<T> action) {
		return locked(operation, protocol, block, forWrite, action, null);
	}

	/**
	 * Runs an action on the trusted namespace directory under both locks.
	 * @param forWrite whether to create the directories when missing
	 * @param absent what to return when the directory does not exist (and
	 * {@code forWrite} is false); {@code null} for an empty result
	 */
	@SuppressWarnings("unchecked")
	private <T> T locked(Operation operation, Protocol protocol, PortBlock block, boolean forWrite,
			StoreAction<T> action, Supplier<T> absent) {
		JVM_LOCK.lock();
		try {
			Path directory = trustedNamespaceDirectory(forWrite);
			if (directory == null) {
				return (absent != null) ? absent.get() : (T) Optional.empty();
			}
			FileChannel lockChannel;
			try {
				lockChannel = StateDirectory.openLockFile(directory.resolve(LOCK_FILE));
			}
			catch (AccessDeniedException | NoSuchFileException ex) {
				if (forWrite) {
					throw ex;
				}
				// A reader without write access to the state directory: read without the
				// lock and change
				// nothing; records are replaced atomically, so a read never sees half a
				// record.
				return action.run(directory, false);
			}
			try (lockChannel; FileLock lock = lockChannel.lock()) {
				return action.run(directory, true);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw LinuxErrors.stateFile(operation, protocol, block, this.namespaceDirectory,
					"Updating the persistent block state in " + this.namespaceDirectory + " failed", ex);
		}
		finally {
			JVM_LOCK.unlock();
		}
	}

	@FunctionalInterface
	private interface StoreAction<T> {

		T run(Path directory, boolean writable) throws IOException;

	}

	/**
	 * A looked-up block.
	 *
	 * @param record its record
	 * @param tookCreatorsPlace whether this lookup made this process the block's creator
	 * (the one recorded had ended)
	 */
	record Found(BlockRecord record, boolean tookCreatorsPlace) {
	}

}
