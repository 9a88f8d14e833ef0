package dev.portreservation.linux;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * This process's claim on a runtime block: the cross-process lock ({@link BlockLocks}),
 * taken before any holder socket binds, and the block's line in this process's holder
 * record ({@link HolderRegistry}), written once every port is held. Closing it removes
 * the line and releases the lock, in that order.
 */
final class RuntimeClaim implements Closeable {

	private final Path directory;

	private final FileLock lock;

	private final HolderRegistry.Held held;

	private boolean registered;

	private RuntimeClaim(Path directory, FileLock lock, HolderRegistry.Held held) {
		this.directory = directory;
		this.lock = lock;
		this.held = held;
	}

	/**
	 * @param directory the runtime directory, already checked
	 * @param protocol the block's protocol
	 * @param block the block
	 * @return the claim, locked but not yet registered
	 * @throws PortReservationException {@code CONFLICT} when another live process (or
	 * reservation) has it
	 */
	static RuntimeClaim lock(Path directory, Protocol protocol, PortBlock block) {
		return new RuntimeClaim(directory, BlockLocks.claim(directory, protocol, block),
				new HolderRegistry.Held(protocol, block, ReservationKind.RUNTIME));
	}

	/**
	 * Lists the block in this process's holder record.
	 * @throws PortReservationException {@code SYSTEM_ERROR} when the record cannot be
	 * written
	 */
	void register() {
		try {
			HolderRegistry.in(this.directory).add(this.held);
			this.registered = true;
		}
		catch (UncheckedIOException ex) {
			throw new PortReservationException(Reason.SYSTEM_ERROR, ex.getMessage() + ": " + ex.getCause().getMessage(),
					this.held.block(), this.held.protocol(), null, ex);
		}
	}

	@Override
	public void close() throws IOException {
		if (this.registered) {
			this.registered = false;
			HolderRegistry.in(this.directory).remove(this.held);
		}
		this.lock.release();
	}

}
