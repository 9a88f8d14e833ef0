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
		super(reason, message, block, protocol, (cause != null) ? cause.getNativeCode().orElse(null) : null, cause);
		this.action = action;
	}

	/**
	 * @return what the user should do about it
	 */
	public String getAction() {
		return this.action;
	}

}
