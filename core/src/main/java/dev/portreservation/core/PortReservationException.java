package dev.portreservation.core;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A reservation or a bind through a reservation failed. The {@link Reason} says what a caller can do about
 * it; the native code, when there is one, is the platform's own error number (a Win32 / WinSock code on
 * Windows, an errno on Linux).
 */
public class PortReservationException extends RuntimeException {

	/**
	 * Why an operation failed, in terms a caller can act on.
	 */
	public enum Reason {

		/** The OS refused for lack of privileges (Windows: not elevated; Linux: no CAP_NET_ADMIN). */
		ACCESS_DENIED,

		/** The block overlaps another reservation, or a port of it is already in use. */
		CONFLICT,

		/** Every port of the block is in use; or the OS has no free block of the requested size. */
		EXHAUSTED,

		/** No persistent reservation exists for the block. */
		NOT_FOUND,

		/** The request itself is wrong (a port outside the block, a closed reservation, bad arguments). */
		INVALID,

		/** The platform, protocol or channel cannot do this. */
		UNSUPPORTED,

		/** The OS failed in a way none of the other reasons describes; see the native code and cause. */
		SYSTEM_ERROR

	}

	private final Reason reason;

	private final @Nullable Long nativeCode;

	private final @Nullable PortBlock block;

	private final @Nullable Protocol protocol;

	public PortReservationException(Reason reason, String message) {
		this(reason, message, null, null, null, null);
	}

	public PortReservationException(Reason reason, String message, @Nullable PortBlock block,
			@Nullable Protocol protocol, @Nullable Long nativeCode, @Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
		this.block = block;
		this.protocol = protocol;
		this.nativeCode = nativeCode;
	}

	/** @return why the operation failed */
	public Reason getReason() {
		return this.reason;
	}

	/** @return the platform's error number, when the failure came from a native call */
	public Optional<Long> getNativeCode() {
		return Optional.ofNullable(this.nativeCode);
	}

	/** @return the block concerned, when known */
	public Optional<PortBlock> getBlock() {
		return Optional.ofNullable(this.block);
	}

	/** @return the protocol concerned, when known */
	public Optional<Protocol> getProtocol() {
		return Optional.ofNullable(this.protocol);
	}

	@Override
	public String getMessage() {
		StringBuilder message = new StringBuilder(super.getMessage());
		message.append(" [").append(this.reason);
		if (this.protocol != null) {
			message.append(' ').append(this.protocol);
		}
		if (this.block != null) {
			message.append(" block ").append(this.block);
		}
		if (this.nativeCode != null) {
			message.append(", native code ").append(this.nativeCode);
		}
		return message.append(']').toString();
	}

}
