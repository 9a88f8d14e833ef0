package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.portreservation.core.BackendSettings;
import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PersistentDeletion;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * Port reservations on Linux.
 * <ul>
 * <li>A runtime block is held by one socket per port ({@link HolderSocket}): bound to the
 * wildcard address, never listening, so the kernel refuses the port to every other
 * socket, except a socket of the same user that sets {@code SO_REUSEPORT}. Needs no
 * privilege. Binding through the block hands a port from its holder to the channel. The
 * block is first claimed across processes ({@link RuntimeClaim}: a lock and a holder
 * record in the per-user {@link RuntimeDirectory}), so another process of this library
 * never joins it.</li>
 * <li>A persistent block is an entry in
 * {@code /proc/sys/net/ipv4/ip_local_reserved_ports} (kept from automatic assignment in
 * this network namespace, for TCP and UDP alike) plus a record in a state directory (see
 * {@link PersistentBlockStore}). Creating one needs {@code CAP_NET_ADMIN}; binding
 * through it is an explicit bind, which reserved ports allow.</li>
 * </ul>
 * What the kernel enforces differs between the two
 * ({@link #enforcement(ReservationKind)}).
 */
public final class LinuxPortReservations implements PortReservations {

	/** The backend's name. */
	static final String NAME = "linux";

	/**
	 * System property that overrides the default state directory of persistent blocks.
	 */
	public static final String STATE_DIRECTORY_PROPERTY = "portreservation.linux.state-directory";

	/**
	 * System property that used to move the per-user runtime directory of runtime blocks'
	 * cross-process locks and the holder registry.
	 * @deprecated ignored: the runtime directory depends on the user alone (see
	 * docs/linux.md), so that every process of a user sees the same locks; a process with
	 * its own directory would not see the others' claims
	 */
	@Deprecated(since = "0.1.0")
	public static final String RUNTIME_DIRECTORY_PROPERTY = RuntimeDirectory.PROPERTY;

	/**
	 * Default state directory: on tmpfs, so records vanish on reboot together with the
	 * sysctl entries.
	 */
	public static final Path DEFAULT_STATE_DIRECTORY = Path.of("/run/portreservation");

	static final Path RESERVED_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");

	static final Path LOCAL_PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private static final Path NETWORK_NAMESPACE = Path.of("/proc/self/ns/net");

	/** The largest block the backend places itself: every unprivileged port. */
	static final int MAX_WILDCARD_COUNT = PortBlock.MAX_PORT - WildcardRegion.LOWEST + 1;

	private static final int WILDCARD_ATTEMPTS = 64;

	private static final int[] KERNEL_DEFAULT_EPHEMERAL_RANGE = { 32768, 60999 };

	private static final AtomicLong RUNTIME_TOKENS = new AtomicLong();

	private final Path reservedPortsFile;

	private final Path localPortRangeFile;

	private final PersistentBlockStore store;

	/**
	 * The backend for this process's network namespace, with persistent block records in
	 * the directory named by the system property {@value #STATE_DIRECTORY_PROPERTY}, or
	 * {@code /run/portreservation}.
	 */
	public LinuxPortReservations() {
		this(BackendSettings.defaults());
	}

	/**
	 * The backend for this process's network namespace, with persistent block records in
	 * the settings' state directory; unset, the one named by the system property
	 * {@value #STATE_DIRECTORY_PROPERTY}, else {@code /run/portreservation}.
	 * @param settings the backend settings
	 */
	public LinuxPortReservations(BackendSettings settings) {
		this(settings.linuxStateDirectory().orElseGet(LinuxPortReservations::defaultStateDirectory));
	}

	/**
	 * The backend for this process's network namespace.
	 * @param stateDirectory where persistent block records are kept; every process
	 * sharing blocks must use the same directory
	 */
	public LinuxPortReservations(Path stateDirectory) {
		this(RESERVED_PORTS, LOCAL_PORT_RANGE, stateDirectory);
	}

	/**
	 * A backend reading and writing the given sysctl files (tests point them at ordinary
	 * files).
	 * @param reservedPortsFile stands for {@code ip_local_reserved_ports}
	 * @param localPortRangeFile stands for {@code ip_local_port_range}
	 * @param stateDirectory where persistent block records are kept
	 */
	LinuxPortReservations(Path reservedPortsFile, Path localPortRangeFile, Path stateDirectory) {
		if (stateDirectory == null) {
			throw new IllegalArgumentException("stateDirectory must not be null");
		}
		if (!stateDirectory.isAbsolute()) {
			throw PortReservationException
				.builder(Reason.INVALID,
						"The state directory of persistent blocks must be an absolute path, was '" + stateDirectory
								+ "'")
				.operation(Operation.OPEN_BACKEND)
				.problem(Problem.UNSAFE_STATE_DIRECTORY)
				.path(stateDirectory)
				.backend(NAME)
				.build();
		}
		this.reservedPortsFile = reservedPortsFile;
		this.localPortRangeFile = localPortRangeFile;
		this.store = new PersistentBlockStore(reservedPortsFile, stateDirectory, networkNamespaceId());
	}

	private static Path defaultStateDirectory() {
		String configured = System.getProperty(STATE_DIRECTORY_PROPERTY);
		return (configured != null && !configured.isBlank()) ? Path.of(configured) : DEFAULT_STATE_DIRECTORY;
	}

	/**
	 * @return the inode number of this process's network namespace, which names the
	 * namespace for as long as it exists; "unknown" when {@code /proc} does not tell
	 */
	static String networkNamespaceId() {
		try {
			String link = Files.readSymbolicLink(NETWORK_NAMESPACE).toString();
			String id = link.replaceAll("\\D", "");
			return id.isEmpty() ? "unknown" : id;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return "unknown";
		}
	}

	@Override
	public PortReservation acquireRuntime(Protocol protocol, PortBlock block) {
		requireArguments(protocol, block);
		IpLocalReservedPorts reserved = reservedPortsOrNone().within(block);
		if (!reserved.isEmpty()) {
			// The kernel would allow it (reserved ports accept explicit binds), but the
			// ports are a persistent
			// block's, as on Windows, where acquiring over a persistent reservation fails
			// too.
			List<PortHolder> holders = holders().find(protocol, block);
			throw PortReservationException
				.builder(Reason.CONFLICT,
						"Ports " + reserved + " of the block are in " + this.reservedPortsFile + " (a persistent block)"
								+ PortHolder.describeAll(holders) + "; choose other ports, or "
								+ "open that block as a persistent block to bind from it")
				.block(block)
				.protocol(protocol)
				.operation(Operation.ACQUIRE_RUNTIME)
				.problem(Problem.RESERVED_AS_PERSISTENT)
				.path(this.reservedPortsFile)
				.backend(NAME)
				.holders(holders)
				.build();
		}
		return holdRuntime(protocol, block, RuntimeDirectory.prepare(), true);
	}

	/**
	 * Claims the block across processes, then holds its ports. The claim comes first: a
	 * second process of this library must never bind a holder beside ours, which the
	 * kernel alone would allow beside leftover connections (see {@link HolderSocket}).
	 * @param nameHolders whether a {@code CONFLICT} names who holds the port (a look-up
	 * through {@code /proc}); false where the caller tries another block instead of
	 * reporting it
	 */
	private PortReservation holdRuntime(Protocol protocol, PortBlock block, List<Path> runtimeDirectories,
			boolean nameHolders) {
		RuntimeClaim claim = RuntimeClaim.lock(runtimeDirectories, protocol, block);
		RuntimeBlockReservation reservation = RuntimeBlockReservation.hold(this, protocol, block,
				RUNTIME_TOKENS.incrementAndGet(), claim, nameHolders);
		try {
			// The record names who each port is leased or lent to.
			claim.register(reservation::leases);
		}
		catch (PortReservationException ex) {
			reservation.close();
			throw ex;
		}
		return reservation;
	}

	@Override
	public PortReservation acquireRuntime(Protocol protocol, int count) {
		requireProtocol(protocol);
		if (count < 1 || count > MAX_WILDCARD_COUNT) {
			throw PortReservationException
				.builder(Reason.INVALID,
						"count must be between 1 and " + MAX_WILDCARD_COUNT + " for a block the OS chooses, was "
								+ count)
				.protocol(protocol)
				.operation(Operation.ACQUIRE_RUNTIME)
				.backend(NAME)
				.build();
		}
		int[] ephemeral = ephemeralRange();
		PortBlock region = WildcardRegion.choose(ephemeral[0], ephemeral[1], count);
		IpLocalReservedPorts reserved = reservedPortsOrNone();
		List<Path> runtimeDirectories = RuntimeDirectory.prepare();
		int starts = region.count() - count + 1;
		for (int attempt = 0; attempt < WILDCARD_ATTEMPTS; attempt++) {
			PortBlock candidate = new PortBlock(region.startPort() + ThreadLocalRandom.current().nextInt(starts),
					count);
			if (!reserved.within(candidate).isEmpty()) {
				// Someone's persistent block: the kernel would not stop us, but it is
				// theirs.
				continue;
			}
			try {
				// A busy candidate is skipped, not reported: no holder look-up for it.
				return holdRuntime(protocol, candidate, runtimeDirectories, false);
			}
			catch (PortReservationException ex) {
				if (ex.getReason() != Reason.CONFLICT) {
					throw ex;
				}
			}
		}
		throw PortReservationException
			.builder(Reason.EXHAUSTED,
					"No free block of " + count + " " + protocol + " ports found in " + region + " after "
							+ WILDCARD_ATTEMPTS + " tries; ask for fewer ports or free some")
			.protocol(protocol)
			.operation(Operation.ACQUIRE_RUNTIME)
			.backend(NAME)
			.build();
	}

	@Override
	public PortReservation createPersistent(Protocol protocol, PortBlock block) {
		requireArguments(protocol, block);
		BlockRecordFile.BlockRecord record = this.store.create(protocol, block);
		return new PersistentBlockReservation(this, block, protocol, record.token(), true, this.store);
	}

	@Override
	public Optional<PortReservation> lookupPersistent(Protocol protocol, PortBlock block) {
		requireArguments(protocol, block);
		return this.store.lookup(protocol, block)
			.map((found) -> new PersistentBlockReservation(this, block, protocol, found.record().token(),
					found.tookCreatorsPlace(), this.store));
	}

	@Override
	public void deletePersistent(Protocol protocol, PortBlock block) {
		deletePersistentReporting(protocol, block);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The {@code ip_local_reserved_ports} entry is removed only when this library added
	 * it and no identical block of the other protocol still uses it; otherwise only the
	 * record goes, and the answer says why the ports stay reserved.
	 */
	@Override
	public PersistentDeletion deletePersistentReporting(Protocol protocol, PortBlock block) {
		requireArguments(protocol, block);
		return this.store.delete(protocol, block);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * {@inheritDoc}
	 * <ul>
	 * <li>Runtime: {@link Enforcement#EVERY_BIND_BY_OTHER_USERS}. The holder sockets make
	 * the kernel refuse the ports to every socket of another user, and to sockets of this
	 * user that do not set {@code SO_REUSEPORT}.</li>
	 * <li>Persistent: {@link Enforcement#AUTOMATIC_ASSIGNMENT_ONLY}.
	 * {@code ip_local_reserved_ports} keeps the ports out of automatic assignment for
	 * every process; any process of any user can still bind a free port of the block
	 * explicitly, whether this application runs or not. Nothing holds the unused
	 * ports.</li>
	 * </ul>
	 */
	@Override
	public Enforcement enforcement(ReservationKind kind) {
		return (kind == ReservationKind.RUNTIME) ? Enforcement.EVERY_BIND_BY_OTHER_USERS
				: Enforcement.AUTOMATIC_ASSIGNMENT_ONLY;
	}

	@Override
	public PortHolders holders() {
		return new LinuxPortHolders();
	}

	/**
	 * @return where this backend keeps the records of this network namespace's persistent
	 * blocks
	 */
	public Path stateDirectory() {
		return this.store.namespaceDirectory();
	}

	private int[] ephemeralRange() {
		try {
			return WildcardRegion.parseRange(ProcFile.read(this.localPortRangeFile));
		}
		catch (IOException | IllegalArgumentException ex) {
			// Only placement suffers: a candidate the kernel uses is skipped like any
			// busy one.
			return KERNEL_DEFAULT_EPHEMERAL_RANGE;
		}
	}

	private IpLocalReservedPorts reservedPortsOrNone() {
		return new IpLocalReservedPortsFile(this.reservedPortsFile).readOrNone();
	}

	private static void requireArguments(Protocol protocol, PortBlock block) {
		requireProtocol(protocol);
		if (block == null) {
			throw PortReservationException
				.builder(Reason.INVALID, "block must not be null; give a start port and a count")
				.protocol(protocol)
				.backend(NAME)
				.build();
		}
	}

	private static void requireProtocol(Protocol protocol) {
		if (protocol == null) {
			throw PortReservationException.builder(Reason.INVALID, "protocol must not be null; use TCP or UDP")
				.backend(NAME)
				.build();
		}
	}

}
