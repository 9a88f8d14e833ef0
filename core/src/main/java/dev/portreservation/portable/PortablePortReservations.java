package dev.portreservation.portable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.core.internal.ExplicitBindPortReservation;
import org.jspecify.annotations.Nullable;

/**
 * The fallback for operating systems without a port reservation facility (macOS, the
 * BSDs, others). Blocks are recorded in this JVM only: two reservations in one process
 * never overlap and binds never hand out one port twice, but the OS does not keep other
 * processes off the block, and a "persistent" block lives only as long as the JVM. A port
 * another process took is skipped at bind time, so binds still land inside the block or
 * fail with {@link Reason#EXHAUSTED}.
 */
public final class PortablePortReservations implements PortReservations {

	private final PortHolders holders;

	private final SystemKeptPorts kept;

	/**
	 * The fallback naming holders through the platform's look-up, without the system's
	 * kept ports; {@link PortReservations#create} also gives it those (Windows' excluded
	 * ranges).
	 */
	public PortablePortReservations() {
		this(PortHolders.forCurrentPlatform(), SystemKeptPorts.none());
	}

	/**
	 * @param holders who-holds-the-port look-up its failures name holders with
	 * @param kept the ports the operating system keeps for itself (Windows' excluded
	 * ranges), which its blocks stay clear of
	 */
	public PortablePortReservations(PortHolders holders, SystemKeptPorts kept) {
		this.holders = holders;
		this.kept = kept;
	}

	@Override
	public PortHolders holders() {
		return this.holders;
	}

	/**
	 * Where a wildcard block is placed: the IANA dynamic range, which servers rarely use.
	 */
	static final PortBlock WILDCARD_RANGE = new PortBlock(49152, 16384);

	private static final int WILDCARD_ATTEMPTS = 64;

	private static final AtomicLong TOKENS = new AtomicLong(1);

	/** Held blocks of this JVM, per protocol: runtime and persistent alike. */
	private static final Map<Protocol, Map<PortBlock, Held>> HELD = new HashMap<>();

	@Override
	public PortReservation acquireRuntime(Protocol protocol, PortBlock block) {
		return holdGiven(Operation.ACQUIRE_RUNTIME, protocol, block, ReservationKind.RUNTIME);
	}

	@Override
	public PortReservation acquireRuntime(Protocol protocol, int count) {
		if (count < 1 || count > WILDCARD_RANGE.count()) {
			throw failure(Reason.INVALID,
					"A wildcard block needs 1 to " + WILDCARD_RANGE.count() + " ports, asked for " + count,
					Operation.ACQUIRE_RUNTIME, protocol, null)
				.build();
		}
		int span = WILDCARD_RANGE.count() - count + 1;
		for (int attempt = 0; attempt < WILDCARD_ATTEMPTS; attempt++) {
			PortBlock candidate = new PortBlock(WILDCARD_RANGE.startPort() + ThreadLocalRandom.current().nextInt(span),
					count);
			// The system's ranges may take a netsh run to read: never under the JVM-wide
			// lock.
			if (this.kept.keptOf(protocol, candidate).isPresent()) {
				continue;
			}
			synchronized (HELD) {
				if (!overlapsHeld(protocol, candidate) && PortProbe.allFree(protocol, candidate)) {
					return hold(protocol, candidate, ReservationKind.RUNTIME, true);
				}
			}
		}
		throw failure(Reason.EXHAUSTED, "No free block of " + count + " ports found in " + WILDCARD_RANGE + " after "
				+ WILDCARD_ATTEMPTS + " attempts", Operation.ACQUIRE_RUNTIME, protocol, null)
			.build();
	}

	@Override
	public PortReservation createPersistent(Protocol protocol, PortBlock block) {
		return holdGiven(Operation.CREATE_PERSISTENT, protocol, block, ReservationKind.PERSISTENT);
	}

	@Override
	public Optional<PortReservation> lookupPersistent(Protocol protocol, PortBlock block) {
		synchronized (HELD) {
			Held held = HELD.getOrDefault(protocol, Map.of()).get(block);
			if (held == null || held.kind != ReservationKind.PERSISTENT) {
				return Optional.empty();
			}
			return Optional.of(new PortableReservation(this, block, protocol, ReservationKind.PERSISTENT, false,
					held.token, () -> {
					}));
		}
	}

	@Override
	public void deletePersistent(Protocol protocol, PortBlock block) {
		synchronized (HELD) {
			Map<PortBlock, Held> blocks = HELD.getOrDefault(protocol, Map.of());
			Held held = blocks.get(block);
			if (held == null || held.kind != ReservationKind.PERSISTENT) {
				throw failure(Reason.NOT_FOUND, "No persistent reservation of this block", Operation.DELETE_PERSISTENT,
						protocol, block)
					.build();
			}
			blocks.remove(block);
		}
	}

	@Override
	public String name() {
		return "portable";
	}

	/**
	 * @return {@link Enforcement#NONE} for both kinds: the OS is not told about the block
	 */
	@Override
	public Enforcement enforcement(ReservationKind kind) {
		return Enforcement.NONE;
	}

	/**
	 * Holds a block the caller named: refused when the system keeps ports of it (checked
	 * before the JVM-wide lock is taken) or when it overlaps a block held in this JVM.
	 */
	private PortReservation holdGiven(Operation operation, Protocol protocol, PortBlock block, ReservationKind kind) {
		requireNotKept(operation, protocol, block);
		synchronized (HELD) {
			requireNoOverlap(operation, protocol, block);
			return hold(protocol, block, kind, true);
		}
	}

	private PortReservation hold(Protocol protocol, PortBlock block, ReservationKind kind, boolean created) {
		long token = TOKENS.getAndIncrement();
		HELD.computeIfAbsent(protocol, (p) -> new HashMap<>()).put(block, new Held(kind, token));
		Runnable release = (kind == ReservationKind.RUNTIME) ? () -> forget(protocol, block, token) : () -> {
		};
		return new PortableReservation(this, block, protocol, kind, created, token, release);
	}

	private static void forget(Protocol protocol, PortBlock block, long token) {
		synchronized (HELD) {
			Map<PortBlock, Held> blocks = HELD.getOrDefault(protocol, Map.of());
			Held held = blocks.get(block);
			if (held != null && held.token == token) {
				blocks.remove(block);
			}
		}
	}

	/**
	 * Refuses a block the system keeps ports of; called before the JVM-wide lock is
	 * taken, since reading the system's ranges may run a process.
	 */
	private void requireNotKept(Operation operation, Protocol protocol, PortBlock block) {
		Optional<String> kept = this.kept.keptOf(protocol, block);
		if (kept.isPresent()) {
			throw failure(Reason.CONFLICT, kept.get(), operation, protocol, block).problem(Problem.EXCLUDED_PORT_RANGE)
				.build();
		}
	}

	private void requireNoOverlap(Operation operation, Protocol protocol, PortBlock block) {
		if (overlapsHeld(protocol, block)) {
			throw failure(Reason.CONFLICT, "The block overlaps a block already reserved in this JVM", operation,
					protocol, block)
				.problem(Problem.PORT_IN_USE)
				.build();
		}
	}

	private PortReservationException.Builder failure(Reason reason, String message, Operation operation,
			Protocol protocol, @Nullable PortBlock block) {
		return PortReservationException.builder(reason, message)
			.operation(operation)
			.backend(name())
			.protocol(protocol)
			.block(block);
	}

	private static boolean overlapsHeld(Protocol protocol, PortBlock block) {
		return HELD.getOrDefault(protocol, Map.of()).keySet().stream().anyMatch(block::overlaps);
	}

	private record Held(ReservationKind kind, long token) {
	}

	private static final class PortableReservation extends ExplicitBindPortReservation {

		private final long token;

		private final Runnable release;

		PortableReservation(PortablePortReservations backend, PortBlock block, Protocol protocol, ReservationKind kind,
				boolean created, long token, Runnable release) {
			super(backend, block, protocol, kind, created);
			this.token = token;
			this.release = release;
		}

		@Override
		public long token() {
			return this.token;
		}

		@Override
		protected void release() {
			this.release.run();
		}

	}

	/**
	 * Checks that nobody has a port bound, by binding and closing each one.
	 */
	static final class PortProbe {

		private PortProbe() {
		}

		static boolean allFree(Protocol protocol, PortBlock block) {
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				if (!isFree(protocol, port)) {
					return false;
				}
			}
			return true;
		}

		static boolean isFree(Protocol protocol, int port) {
			try (NetworkChannel channel = (protocol == Protocol.TCP) ? ServerSocketChannel.open()
					: DatagramChannel.open()) {
				channel.bind(new InetSocketAddress(port));
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

}
