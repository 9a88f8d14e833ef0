package dev.portreservation.core;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A reservation or a bind through a reservation failed. The {@link Reason} says what a
 * caller can do about it; the typed fields say exactly what failed: what was attempted
 * ({@link Operation}), the finer {@link Problem} when the backend established one, the
 * block, protocol, port, local address, file and backend concerned, and the platform's
 * own error number (a Win32 / WinSock code on Windows, an errno on Linux). Callers (and
 * Spring Boot's failure analysis) decide from these fields, never from the message, which
 * is for people and names no configuration property of any framework. Built only through
 * {@link #builder}, and immutable once built.
 * <p>
 * Why one class of this size: it is the API's whole failure vocabulary, the
 * {@link Reason}, {@link Operation} and {@link Problem} a caller decides from, each
 * constant documented, and the builder that is the only way to make one; split, a caller
 * would look in four places for what one failure can say.
 */
public class PortReservationException extends RuntimeException {

	/**
	 * Why an operation failed, in terms a caller can act on.
	 */
	public enum Reason {

		/**
		 * The OS refused for lack of privileges (Windows: not elevated; Linux: no
		 * CAP_NET_ADMIN).
		 */
		ACCESS_DENIED,

		/** The block overlaps another reservation, or a port of it is already in use. */
		CONFLICT,

		/**
		 * Every port of the block is in use; or the OS has no free block of the requested
		 * size.
		 */
		EXHAUSTED,

		/** No persistent reservation exists for the block. */
		NOT_FOUND,

		/**
		 * The request itself is wrong (a port outside the block, a local address this
		 * host does not have, a closed reservation, bad arguments).
		 */
		INVALID,

		/** The platform, protocol or channel cannot do this. */
		UNSUPPORTED,

		/**
		 * The OS failed in a way none of the other reasons describes; see the native code
		 * and cause.
		 */
		SYSTEM_ERROR

	}

	/**
	 * What was attempted when the failure happened.
	 */
	public enum Operation {

		/** Creating a backend for a platform. */
		OPEN_BACKEND,

		/** Reserving a runtime block. */
		ACQUIRE_RUNTIME,

		/** Recording a persistent block. */
		CREATE_PERSISTENT,

		/** Finding a recorded persistent block. */
		LOOKUP_PERSISTENT,

		/** Deleting a persistent block. */
		DELETE_PERSISTENT,

		/** Binding a channel through a reservation. */
		BIND,

		/**
		 * Lending a port of the block to a component that binds it itself, its hand-off,
		 * its check and its return.
		 */
		LEND,

		/** Giving a runtime block back to the OS when the reservation closes. */
		RELEASE

	}

	/**
	 * A fact the backend established about the failure, finer than the {@link Reason}.
	 */
	public enum Problem {

		/**
		 * The local address asked for is not an address of this host (errno
		 * {@code EADDRNOTAVAIL}).
		 */
		ADDRESS_NOT_LOCAL,

		/**
		 * The port is below the first unprivileged port and the process may not bind it
		 * ({@code EACCES}).
		 */
		PRIVILEGED_PORT,

		/** Another socket has the port. */
		PORT_IN_USE,

		/** The port asked for lies outside the reserved block. */
		PORT_OUTSIDE_BLOCK,

		/**
		 * The ports are already reserved as a persistent block, by this library or an
		 * administrator.
		 */
		RESERVED_AS_PERSISTENT,

		/**
		 * Changing the OS's reservations needs a privilege the process lacks
		 * (CAP_NET_ADMIN, elevation).
		 */
		NEEDS_PRIVILEGE,

		/**
		 * A directory or file of the backend's state is not safe to trust or cannot be
		 * written.
		 */
		UNSAFE_STATE_DIRECTORY,

		/**
		 * The per-user runtime directory (cross-process locks and holder records of
		 * running processes) is not safe to trust or cannot be created.
		 */
		UNSAFE_RUNTIME_DIRECTORY,

		/**
		 * The JVM's sockets are IPv4 only ({@code -Djava.net.preferIPv4Stack=true}) and
		 * the IPv6 side of the block cannot be held another way.
		 */
		IPV4_ONLY_JVM,

		/** The backend cannot run on this system (a missing library or function). */
		BACKEND_UNAVAILABLE,

		/**
		 * The JDK hides what the backend needs (the socket handle); a JVM flag opens it.
		 */
		JDK_INTERNALS_CLOSED,

		/** The channel type does not match the block's protocol. */
		WRONG_PROTOCOL,

		/**
		 * Ports of the block lie in a range the OS excludes from use (Windows: a row of
		 * {@code netsh interface ipv4 show excludedportrange}); the message names the
		 * ranges and a start port clear of them.
		 */
		EXCLUDED_PORT_RANGE

	}

	private final Reason reason;

	private final @Nullable Long nativeCode;

	private final @Nullable PortBlock block;

	private final @Nullable Protocol protocol;

	private final Operation operation;

	private final Problem problem;

	private final Integer port;

	private final InetAddress address;

	private final Path path;

	private final String backend;

	/** Who has the ports, when the OS could tell; given to the builder. */
	private final List<PortHolder> holders;

	/**
	 * @param builder the fields
	 */
	protected PortReservationException(Builder builder) {
		super(builder.message, builder.cause);
		this.reason = builder.reason;
		this.block = builder.block;
		this.protocol = builder.protocol;
		this.nativeCode = builder.nativeCode;
		this.operation = builder.operation;
		this.problem = builder.problem;
		this.port = builder.port;
		this.address = builder.address;
		this.path = builder.path;
		this.backend = builder.backend;
		this.holders = builder.holders;
	}

	/**
	 * @param reason why it failed
	 * @param message what failed, for people
	 * @return a builder for the other fields
	 */
	public static Builder builder(Reason reason, String message) {
		return new Builder(reason, message);
	}

	/**
	 * @return why the operation failed
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * @return the platform's error number, when the failure came from a native call
	 */
	public Optional<Long> getNativeCode() {
		return Optional.ofNullable(this.nativeCode);
	}

	/**
	 * @return the block concerned, when known
	 */
	public Optional<PortBlock> getBlock() {
		return Optional.ofNullable(this.block);
	}

	/**
	 * @return the protocol concerned, when known
	 */
	public Optional<Protocol> getProtocol() {
		return Optional.ofNullable(this.protocol);
	}

	/**
	 * @return what was attempted, when known
	 */
	public Optional<Operation> getOperation() {
		return Optional.ofNullable(this.operation);
	}

	/**
	 * @return the fact the backend established, when it established one
	 */
	public Optional<Problem> getProblem() {
		return Optional.ofNullable(this.problem);
	}

	/**
	 * @return the port concerned, when one port is
	 */
	public Optional<Integer> getPort() {
		return Optional.ofNullable(this.port);
	}

	/**
	 * @return the local address asked for, when the failure concerns one
	 */
	public Optional<InetAddress> getAddress() {
		return Optional.ofNullable(this.address);
	}

	/**
	 * @return the file or directory concerned, when the failure concerns one
	 */
	public Optional<Path> getPath() {
		return Optional.ofNullable(this.path);
	}

	/**
	 * @return the name of the backend that failed, such as {@code "linux"}, when known
	 */
	public Optional<String> getBackend() {
		return Optional.ofNullable(this.backend);

	}

	/**
	 * @return who holds the ports concerned, when the OS could tell; empty when unknown
	 * or nobody
	 */
	public List<PortHolder> getHolders() {
		return this.holders;
	}

	/**
	 * @return the message as the failure site wrote it, without the
	 * {@code [REASON protocol block, native code]} summary {@link #getMessage()} appends,
	 * for a wrapper that states the facts again in its own message
	 */
	public String getDetail() {
		return super.getMessage();
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

	/**
	 * The fields of a {@link PortReservationException}; every one but the reason and
	 * message is optional.
	 */
	public static final class Builder {

		private final Reason reason;

		private final String message;

		private PortBlock block;

		private Protocol protocol;

		private Long nativeCode;

		private Throwable cause;

		private Operation operation;

		private Problem problem;

		private Integer port;

		private InetAddress address;

		private Path path;

		private String backend;

		private List<PortHolder> holders = List.of();

		private Builder(Reason reason, String message) {
			this.reason = reason;
			this.message = message;
		}

		public Builder block(PortBlock block) {
			this.block = block;
			return this;
		}

		public Builder protocol(Protocol protocol) {
			this.protocol = protocol;
			return this;
		}

		public Builder nativeCode(Long nativeCode) {
			this.nativeCode = nativeCode;
			return this;
		}

		public Builder cause(Throwable cause) {
			this.cause = cause;
			return this;
		}

		public Builder operation(Operation operation) {
			this.operation = operation;
			return this;
		}

		public Builder problem(Problem problem) {
			this.problem = problem;
			return this;
		}

		public Builder port(Integer port) {
			this.port = port;
			return this;
		}

		public Builder address(InetAddress address) {
			this.address = address;
			return this;
		}

		public Builder path(Path path) {
			this.path = path;
			return this;
		}

		public Builder backend(String backend) {
			this.backend = backend;
			return this;
		}

		/**
		 * @param holders who has the ports concerned, when the OS could tell
		 * @return this builder
		 */
		public Builder holders(List<PortHolder> holders) {
			this.holders = (holders != null) ? List.copyOf(holders) : List.of();
			return this;
		}

		/**
		 * @return the exception
		 */
		public PortReservationException build() {
			return new PortReservationException(this);
		}

		/**
		 * Copies every field of another failure except reason and message, so a wrapper
		 * keeps the facts.
		 * @param other a failure
		 * @return this builder
		 */
		public Builder from(PortReservationException other) {
			this.block = other.block;
			this.protocol = other.protocol;
			this.nativeCode = other.nativeCode;
			this.operation = other.operation;
			this.problem = other.problem;
			this.port = other.port;
			this.address = other.address;
			this.path = other.path;
			this.backend = other.backend;
			this.holders = other.getHolders();
			return this;
		}

	}

}
