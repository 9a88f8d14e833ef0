package dev.portreservation.core;

import java.util.Optional;

/**
 * The platform's way of reserving ports: the SPI every backend implements.
 * {@link #forCurrentPlatform()} picks the right one;
 * {@link #create(BackendType, BackendSettings)} makes a chosen one with settings.
 */
public interface PortReservations {

	/**
	 * Reserves a specific block for the life of the returned reservation (Windows
	 * {@code SIO_ACQUIRE_PORT_RESERVATION}).
	 * @param protocol the protocol
	 * @param block the block
	 * @return the held reservation
	 * @throws PortReservationException {@code CONFLICT} when a port of the block is
	 * reserved or in use
	 */
	PortReservation acquireRuntime(Protocol protocol, PortBlock block);

	/**
	 * Reserves any free block of {@code count} ports chosen by the backend (a wildcard
	 * request).
	 * @param protocol the protocol
	 * @param count the number of ports
	 * @return the held reservation
	 * @throws PortReservationException {@code EXHAUSTED} when no free block of that size
	 * exists
	 */
	PortReservation acquireRuntime(Protocol protocol, int count);

	/**
	 * Records a persistent reservation of the block and opens it (Windows
	 * {@code CreatePersistent{Tcp,Udp}PortReservation}).
	 * @param protocol the protocol
	 * @param block the block
	 * @return the open reservation, {@link PortReservation#createdByThisProcess()} true
	 * @throws PortReservationException {@code CONFLICT} when it overlaps another
	 * reservation, {@code ACCESS_DENIED} without the privilege
	 */
	PortReservation createPersistent(Protocol protocol, PortBlock block);

	/**
	 * Opens an existing persistent reservation of exactly this block (Windows
	 * {@code LookupPersistent{Tcp,Udp}PortReservation}).
	 * @param protocol the protocol
	 * @param block the block
	 * @return the open reservation, or empty when none is recorded
	 */
	Optional<PortReservation> lookupPersistent(Protocol protocol, PortBlock block);

	/**
	 * Opens the persistent reservation of the block, creating it when none exists. Safe
	 * when several processes race for the same block: exactly one creates it, the others
	 * find it.
	 * @param protocol the protocol
	 * @param block the block
	 * @return the open reservation
	 */
	default PortReservation lookupOrCreatePersistent(Protocol protocol, PortBlock block) {
		Optional<PortReservation> existing = lookupPersistent(protocol, block);
		if (existing.isPresent()) {
			return existing.get();
		}
		try {
			return createPersistent(protocol, block);
		}
		catch (PortReservationException ex) {
			if (ex.getReason() == PortReservationException.Reason.CONFLICT) {
				// Another process created it between our lookup and create.
				return lookupPersistent(protocol, block).orElseThrow(() -> ex);
			}
			throw ex;
		}
	}

	/**
	 * Deletes the persistent reservation of exactly this block (Windows
	 * {@code DeletePersistent{Tcp,Udp}PortReservation}).
	 * @param protocol the protocol
	 * @param block the block
	 * @throws PortReservationException {@code NOT_FOUND} when none is recorded
	 */
	void deletePersistent(Protocol protocol, PortBlock block);

	/**
	 * Deletes the persistent reservation of exactly this block, like
	 * {@link #deletePersistent(Protocol, PortBlock)}, and says what that did to the
	 * operating system's reservation (a log should say only what happened: on Linux an
	 * adopted administrator's entry stays). Backends whose delete always releases the
	 * ports need not override it.
	 * @param protocol the protocol
	 * @param block the block
	 * @return what happened
	 * @throws PortReservationException {@code NOT_FOUND} when none is recorded
	 */
	default PersistentDeletion deletePersistentReporting(Protocol protocol, PortBlock block) {
		deletePersistent(protocol, block);
		return PersistentDeletion.RELEASED;
	}

	/**
	 * @return the backend's name, as in {@link PortReservation#backend()}
	 */
	String name();

	/**
	 * What the operating system enforces for blocks of a kind made by this backend; the
	 * same for every block of that kind, so reservations report the backend's answer.
	 * @param kind runtime or persistent
	 * @return the enforcement
	 */
	Enforcement enforcement(ReservationKind kind);

	/**
	 * Who has ports, as this backend can see it: what its reservations name in a
	 * {@code CONFLICT} or an exhausted block, so a failure names the holders the same way
	 * whoever asks. None by default.
	 * @return the holder look-up of this backend
	 */
	default PortHolders holders() {
		return PortHolders.none();
	}

	/**
	 * @return the backend for the operating system this JVM runs on, with default
	 * settings
	 */
	static PortReservations forCurrentPlatform() {
		return forCurrentPlatform(BackendSettings.defaults());
	}

	/**
	 * @param settings the backend settings
	 * @return the backend for the operating system this JVM runs on
	 */
	static PortReservations forCurrentPlatform(BackendSettings settings) {
		return create(BackendType.current(), settings);
	}

	/**
	 * @param type which backend
	 * @param settings its settings
	 * @return a new backend of that type
	 * @throws PortReservationException {@code UNSUPPORTED} when the backend cannot run on
	 * this system
	 */
	static PortReservations create(BackendType type, BackendSettings settings) {
		return PlatformBackends.create(type, settings);
	}

}
