package dev.portreservation.boot.autoconfigure;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import dev.portreservation.core.BackendType;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the reserved block of ports ({@code portreservation.*}).
 * <p>
 * Validates itself when bound: a bad combination fails startup with the property, its
 * value and the fix.
 */
@ConfigurationProperties("portreservation")
public class PortReservationProperties implements Validator {

	// The error codes of validate(): the failure analyzer chooses its advice by them.
	static final String COUNT_RANGE = "portreservation.count.range";

	static final String COUNT_OVERFLOW = "portreservation.count.overflow";

	static final String START_PORT_RANGE = "portreservation.start-port.range";

	static final String START_PORT_PERSISTENT = "portreservation.start-port.persistent";

	static final String STATE_DIRECTORY_ABSOLUTE = "portreservation.linux.state-directory.absolute";

	static final String DELETE_ON_SHUTDOWN_RUNTIME = "portreservation.delete-on-shutdown.runtime";

	/**
	 * Whether to reserve a block of ports and expose it as a PortReservation bean.
	 */
	private boolean enabled = true;

	/**
	 * Which platform backend reserves the block. 'auto' picks the one for the operating
	 * system; 'portable' keeps the reservation inside this JVM only.
	 */
	private Backend backend = Backend.AUTO;

	/**
	 * How long the block lives: 'runtime' for as long as the application runs (no
	 * privileges needed), or 'persistent' to record it in the operating system so it
	 * survives the application (needs administrator rights on Windows, CAP_NET_ADMIN on
	 * Linux).
	 */
	private ReservationKind kind = ReservationKind.RUNTIME;

	/**
	 * Transport protocol the block is reserved for. The embedded web server needs 'tcp'.
	 */
	private Protocol protocol = Protocol.TCP;

	/**
	 * First port of the block. 0 lets the operating system choose a free block, which
	 * only a runtime reservation can do.
	 */
	private int startPort = 0;

	/**
	 * Number of ports in the block (1-65535), starting at start-port. Count one for the
	 * server, one for a management server on its own port, one per additional connector
	 * and one per named port (${portreservation.ports.<name>}); binds beyond it fail with
	 * EXHAUSTED.
	 */
	private int count = 8;

	/**
	 * Whether to delete a persistent block on shutdown. Only a block this application
	 * created is deleted, never one it found already recorded.
	 */
	private boolean deleteOnShutdown = false;

	private final Server server = new Server();

	private final Linux linux = new Linux();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Backend getBackend() {
		return this.backend;
	}

	public void setBackend(Backend backend) {
		this.backend = backend;
	}

	public ReservationKind getKind() {
		return this.kind;
	}

	public void setKind(ReservationKind kind) {
		this.kind = kind;
	}

	public Protocol getProtocol() {
		return this.protocol;
	}

	public void setProtocol(Protocol protocol) {
		this.protocol = protocol;
	}

	public int getStartPort() {
		return this.startPort;
	}

	public void setStartPort(int startPort) {
		this.startPort = startPort;
	}

	public int getCount() {
		return this.count;
	}

	public void setCount(int count) {
		this.count = count;
	}

	public boolean isDeleteOnShutdown() {
		return this.deleteOnShutdown;
	}

	public void setDeleteOnShutdown(boolean deleteOnShutdown) {
		this.deleteOnShutdown = deleteOnShutdown;
	}

	public Server getServer() {
		return this.server;
	}

	public Linux getLinux() {
		return this.linux;
	}

	/**
	 * The block these properties describe.
	 * @return the block, or {@code null} when the operating system picks it
	 * ({@code start-port} 0)
	 */
	public @Nullable PortBlock block() {
		return (this.startPort != 0) ? new PortBlock(this.startPort, this.count) : null;
	}

	@Override
	public boolean supports(Class<?> type) {
		return PortReservationProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		PortReservationProperties properties = (PortReservationProperties) target;
		if (!properties.isEnabled()) {
			return;
		}
		int count = properties.getCount();
		int startPort = properties.getStartPort();
		if (count < 1 || count > PortBlock.MAX_PORT) {
			errors.rejectValue("count", COUNT_RANGE, "must be between 1 and 65535 ports");
		}
		if (startPort < 0 || startPort > PortBlock.MAX_PORT) {
			errors.rejectValue("startPort", START_PORT_RANGE,
					"must be 0 (the operating system picks the block) or a port between 1 and 65535");
		}
		else if (startPort == 0 && properties.getKind() == ReservationKind.PERSISTENT) {
			errors.rejectValue("startPort", START_PORT_PERSISTENT, "must be set for a persistent block (only a "
					+ "runtime block can be placed by the operating system)");
		}
		else if (startPort > 0 && count >= 1 && (long) startPort + count - 1 > PortBlock.MAX_PORT) {
			errors.rejectValue("count", COUNT_OVERFLOW, new Object[] { startPort, count }, "the block " + startPort
					+ "+" + count + " would end at port " + ((long) startPort + count - 1) + ", beyond 65535");
		}
		String stateDirectory = properties.getLinux().getStateDirectory();
		if (stateDirectory != null && !isAbsolutePath(stateDirectory)) {
			errors.rejectValue("linux.stateDirectory", STATE_DIRECTORY_ABSOLUTE, "must be an absolute path (every "
					+ "process sharing persistent blocks must name the same directory)");
		}
		if (properties.isDeleteOnShutdown() && properties.getKind() != ReservationKind.PERSISTENT) {
			errors.rejectValue("deleteOnShutdown", DELETE_ON_SHUTDOWN_RUNTIME, "applies only to "
					+ "portreservation.kind=persistent (a runtime block is always released on shutdown)");
		}
	}

	private static boolean isAbsolutePath(String path) {
		try {
			return !path.isBlank() && Path.of(path).isAbsolute();
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	/**
	 * Settings of the Linux backend.
	 */
	public static class Linux {

		/**
		 * Absolute path of the directory where the Linux backend records persistent
		 * blocks (one subdirectory per network namespace). Every process sharing
		 * persistent blocks must use the same directory. It is created owner-only; it is
		 * refused when it or a parent is writable by group or others without the sticky
		 * bit, or owned by a user other than root and the application's. Unset: the JVM
		 * system property of the same name, else /run/portreservation.
		 */
		private String stateDirectory;

		public String getStateDirectory() {
			return this.stateDirectory;
		}

		public void setStateDirectory(String stateDirectory) {
			this.stateDirectory = stateDirectory;
		}

	}

	/**
	 * Embedded web server settings.
	 */
	public static class Server {

		/**
		 * Whether the embedded web server (and a management server on its own port) binds
		 * its listening socket through the reserved block.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The platform backends a user can choose.
	 */
	public enum Backend {

		/** The backend for the operating system the application runs on. */
		AUTO,

		/** Linux: holder sockets and ip_local_reserved_ports. */
		LINUX,

		/** Windows: WinSock port reservations. */
		WINDOWS,

		/** In-JVM bookkeeping only; the operating system does not enforce the block. */
		PORTABLE;

		/**
		 * @return the backend type, {@link #AUTO} resolved for this operating system
		 */
		public BackendType type() {
			return switch (this) {
				case AUTO -> BackendType.current();
				case LINUX -> BackendType.LINUX;
				case WINDOWS -> BackendType.WINDOWS;
				case PORTABLE -> BackendType.PORTABLE;
			};
		}

	}

}
