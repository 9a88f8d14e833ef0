package dev.portreservation.linux;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * This process's claim on a runtime block: the cross-process locks ({@link BlockLocks},
 * one in each of the user's runtime directories), taken before any holder socket binds,
 * and the block's line in this process's holder record ({@link HolderRegistry}), written
 * once every port is held, with the reservation's lease table as the source of its lease
 * lines (who each port is leased or lent to), which the registry reads once a second: no
 * bind calls into the claim. Closing it removes the line and releases the locks, in that
 * order.
 */
final class RuntimeClaim implements Closeable {

	private final HolderRegistry registry;

	private final BlockLocks.Claimed locks;

	private final HolderRegistry.Held held;

	private boolean registered;

	private RuntimeClaim(HolderRegistry registry, BlockLocks.Claimed locks, HolderRegistry.Held held) {
		this.registry = registry;
		this.locks = locks;
		this.held = held;
	}

	/**
	 * @param directories the user's runtime directories, already checked; the record goes
	 * into the first
	 * @param protocol the block's protocol
	 * @param block the block
	 * @return the claim, locked but not yet registered
	 * @throws PortReservationException {@code CONFLICT} when another live process (or
	 * reservation) has it
	 */
	static RuntimeClaim lock(List<Path> directories, Protocol protocol, PortBlock block) {
		return new RuntimeClaim(HolderRegistry.in(directories.get(0)), BlockLocks.claim(directories, protocol, block),
				new HolderRegistry.Held(protocol, block, ReservationKind.RUNTIME));
	}

	/**
	 * Lists the block in this process's holder record.
	 * @param leases the reservation's leases, read for the record's lease lines
	 * @throws PortReservationException {@code SYSTEM_ERROR} when the record cannot be
	 * written
	 */
	void register(Supplier<List<PortLease>> leases) {
		this.held.leasesFrom(leases);
		try {
			this.registry.add(this.held);
			this.registered = true;
		}
		catch (UncheckedIOException ex) {
			OptionalInt errno = LinuxErrors.errno(ex.getCause());
			throw PortReservationException
				.builder(Reason.SYSTEM_ERROR, ex.getMessage() + ": " + ex.getCause().getMessage())
				.block(this.held.block().block())
				.protocol(this.held.protocol())
				.operation(Operation.ACQUIRE_RUNTIME)
				.nativeCode(errno.isPresent() ? LinuxErrors.code(errno.getAsInt()) : null)
				.path(this.registry.file())
				.backend(LinuxPortReservations.NAME)
				.cause(ex)
				.build();
		}
	}

	@Override
	public void close() {
		if (this.registered) {
			this.registered = false;
			this.registry.remove(this.held);
		}
		this.locks.release();
	}

}
