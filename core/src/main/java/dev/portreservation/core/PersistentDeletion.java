package dev.portreservation.core;

/**
 * What deleting a persistent block did to the operating system's reservation
 * ({@link PortReservations#deletePersistentReporting(Protocol, PortBlock)}), so that a
 * log line says only what happened.
 */
public enum PersistentDeletion {

	/** The ports are no longer reserved by the operating system. */
	RELEASED,

	/**
	 * Only this library's record of the block is gone: the ports stay reserved because an
	 * administrator reserved them (Linux: the block was adopted from an
	 * {@code ip_local_reserved_ports} entry this library did not add).
	 */
	KEPT_ADMINISTRATORS_RESERVATION,

	/**
	 * Only this block's record is gone: the ports stay reserved for the block of exactly
	 * the same ports of the other protocol (Linux: one {@code ip_local_reserved_ports}
	 * entry covers TCP and UDP).
	 */
	KEPT_FOR_OTHER_PROTOCOL;

	/**
	 * @param protocol the deleted block's protocol
	 * @param block the deleted block
	 * @return one sentence for a log, saying what happened
	 */
	public String describe(Protocol protocol, PortBlock block) {
		String what = "persistent " + protocol + " block " + block;
		return switch (this) {
			case RELEASED -> "Deleted the " + what + "; the operating system no longer reserves its ports";
			case KEPT_ADMINISTRATORS_RESERVATION -> "Forgot the " + what + "; its ports stay reserved, as an "
					+ "administrator reserved them before this library adopted them";
			case KEPT_FOR_OTHER_PROTOCOL -> "Forgot the " + what + "; its ports stay reserved for the persistent "
					+ otherProtocol(protocol) + " block of the same ports";
		};
	}

	private static String otherProtocol(Protocol protocol) {
		return (protocol == Protocol.TCP) ? Protocol.UDP.name() : Protocol.TCP.name();
	}

}
