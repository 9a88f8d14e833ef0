package dev.portreservation.boot;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;

/**
 * A {@link PortReservationException} raised by the Spring integration, which knows the
 * concrete fix (a property to change, a protocol to use) and hands it to the failure
 * analyzer.
 */
public class PortReservationSetupException extends PortReservationException {

	private final String action;

	public PortReservationSetupException(Reason reason, String message, PortBlock block, Protocol protocol,
			String action) {
		this(reason, message, block, protocol, action, null);
	}

	public PortReservationSetupException(Reason reason, String message, PortBlock block, Protocol protocol,
			String action, PortReservationException cause) {
		super(fields(reason, message, block, protocol, cause));
		this.action = action;
	}

	// The cause's typed facts (backend, problem, port, native code...), with this
	// failure's own block and protocol.
	private static Builder fields(Reason reason, String message, PortBlock block, Protocol protocol,
			PortReservationException cause) {
		Builder fields = PortReservationException.builder(reason, message);
		if (cause != null) {
			fields.from(cause).cause(cause);
		}
		return fields.block(block).protocol(protocol);
	}

	/**
	 * @return what the user should do about it
	 */
	public String getAction() {
		return this.action;
	}

}
