package dev.portreservation.autoconfigure;

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
 * Validates itself when bound: a bad combination fails startup with the property, its value and the fix.
 */
@ConfigurationProperties("portreservation")
public class PortReservationProperties implements Validator {

	/**
	 * Whether to reserve a block of ports and expose it as a PortReservation bean.
	 */
	private boolean enabled = true;

	/**
	 * Which platform backend reserves the block. 'auto' picks the one for the operating system; 'portable'
	 * keeps the reservation inside this JVM only.
	 */
	private Backend backend = Backend.AUTO;

	/**
	 * How long the block lives: 'runtime' for as long as the application runs (no privileges needed), or
	 * 'persistent' to record it in the operating system so it survives the application (needs administrator
	 * rights on Windows, CAP_NET_ADMIN on Linux).
	 */
	private ReservationKind kind = ReservationKind.RUNTIME;

	/**
	 * Transport protocol the block is reserved for. The embedded web server needs 'tcp'.
	 */
	private Protocol protocol = Protocol.TCP;

	/**
	 * First port of the block. 0 lets the operating system choose a free block, which only a runtime
	 * reservation can do.
	 */
	private int startPort = 0;

	/**
	 * Number of ports in the block.
	 */
	private int count = 8;

	/**
	 * Whether to delete a persistent block on shutdown. Only a block this application created is deleted,
	 * never one it found already recorded.
	 */
	private boolean deleteOnShutdown = false;

	private final Server server = new Server();

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

	/**
	 * The block these properties describe.
	 * @return the block, or {@code null} when the operating system picks it ({@code start-port} 0)
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
			errors.rejectValue("count", "portreservation.count.range",
					"must be between 1 and 65535 ports; set portreservation.count to the number of ports you need");
		}
		if (startPort < 0 || startPort > PortBlock.MAX_PORT) {
			errors.rejectValue("startPort", "portreservation.start-port.range",
					"must be 0 (the operating system picks the block) or a port between 1 and 65535");
		}
		else if (startPort == 0 && properties.getKind() == ReservationKind.PERSISTENT) {
			errors.rejectValue("startPort", "portreservation.start-port.persistent",
					"must be set for a persistent block (only a runtime block can be picked by the operating "
							+ "system); set portreservation.start-port, or use portreservation.kind=runtime");
		}
		else if (startPort > 0 && count >= 1 && (long) startPort + count - 1 > PortBlock.MAX_PORT) {
			errors.rejectValue("count", "portreservation.count.overflow",
					"the block " + startPort + "+" + count + " would end at port " + ((long) startPort + count - 1)
							+ ", beyond 65535; lower portreservation.start-port or portreservation.count");
		}
		if (properties.isDeleteOnShutdown() && properties.getKind() != ReservationKind.PERSISTENT) {
			errors.rejectValue("deleteOnShutdown", "portreservation.delete-on-shutdown.runtime",
					"applies only to portreservation.kind=persistent (a runtime block is always released on "
							+ "shutdown); remove it or use kind=persistent");
		}
	}

	/**
	 * Embedded web server settings.
	 */
	public static class Server {

		/**
		 * Whether the embedded web server (and a management server on its own port) binds its listening
		 * socket through the reserved block.
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
		AUTO(null),

		/** Linux: holder sockets and ip_local_reserved_ports. */
		LINUX("dev.portreservation.linux.LinuxPortReservations"),

		/** Windows: WinSock port reservations. */
		WINDOWS("dev.portreservation.windows.WindowsPortReservations"),

		/** In-JVM bookkeeping only; the operating system does not enforce the block. */
		PORTABLE("dev.portreservation.portable.PortablePortReservations");

		private final @Nullable String className;

		Backend(@Nullable String className) {
			this.className = className;
		}

		/** @return the backend's implementation class, {@code null} for {@link #AUTO} */
		public @Nullable String getClassName() {
			return this.className;
		}

	}

}
