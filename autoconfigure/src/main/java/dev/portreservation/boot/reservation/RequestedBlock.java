package dev.portreservation.boot.reservation;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import org.springframework.core.env.Environment;

/**
 * The block an application asks for, and which property decided where it starts. Where
 * the block starts is what makes ports predictable: an explicit
 * {@code portreservation.start-port} wins; without one, a positive {@code server.port} of
 * an application whose embedded server binds through the block starts the block there (so
 * {@code server.port=8080} or {@code SERVER_PORT=8080} keeps the server on 8080);
 * otherwise the operating system picks a free block, which can differ on every start.
 *
 * @param protocol the protocol
 * @param kind runtime or persistent
 * @param startPort the first port, 0 when the operating system picks the block
 * @param count the number of ports
 * @param startSource the property that set {@code startPort}, {@code null} when the
 * operating system picks
 */
public record RequestedBlock(Protocol protocol, ReservationKind kind, int startPort, int count, String startSource) {

	/** The property that places the block explicitly. */
	public static final String START_PORT = "portreservation.start-port";

	/**
	 * The embedded server's port, which places the block when {@link #START_PORT} is not
	 * set.
	 */
	public static final String SERVER_PORT = "server.port";

	/**
	 * @param protocol {@code portreservation.protocol}
	 * @param kind {@code portreservation.kind}
	 * @param startPort {@code portreservation.start-port}, 0 when not set
	 * @param count {@code portreservation.count}
	 * @param environment the environment, for {@code server.port}
	 * @param serverBindsThroughBlock whether this context's embedded web server binds
	 * through the block
	 * @return the requested block
	 */
	public static RequestedBlock of(Protocol protocol, ReservationKind kind, int startPort, int count,
			Environment environment, boolean serverBindsThroughBlock) {
		if (startPort != 0) {
			return new RequestedBlock(protocol, kind, startPort, count, START_PORT);
		}
		Integer serverPort = serverBindsThroughBlock ? serverPort(environment) : null;
		if (serverPort != null && serverPort > 0) {
			return new RequestedBlock(protocol, kind, serverPort, count, SERVER_PORT);
		}
		return new RequestedBlock(protocol, kind, 0, count, null);
	}

	/**
	 * @param environment the environment
	 * @return whether the operating system picks the block for these properties: neither
	 * {@code portreservation.start-port} nor a positive {@code server.port} places it
	 */
	public static boolean chosenByOperatingSystem(Environment environment) {
		Integer startPort = environment.getProperty(START_PORT, Integer.class);
		if (startPort != null && startPort != 0) {
			return false;
		}
		Integer serverPort = serverPort(environment);
		return serverPort == null || serverPort <= 0;
	}

	/**
	 * @param environment the environment
	 * @param block the reserved block
	 * @return the property whose value is the block's first port ({@link #START_PORT} or
	 * {@link #SERVER_PORT}), {@code ServerPortBinding.OPERATING_SYSTEM} when the
	 * operating system picks the block, {@code null} when the block starts elsewhere (a
	 * block of the application's own)
	 */
	public static String placedBy(Environment environment, PortBlock block) {
		Integer startPort = environment.getProperty(START_PORT, Integer.class);
		if (startPort != null && startPort != 0) {
			return (startPort == block.startPort()) ? START_PORT : null;
		}
		Integer serverPort = serverPort(environment);
		if (serverPort != null && serverPort > 0) {
			return (serverPort == block.startPort()) ? SERVER_PORT : null;
		}
		return ServerPortBinding.OPERATING_SYSTEM;
	}

	private static Integer serverPort(Environment environment) {
		return environment.getProperty(SERVER_PORT, Integer.class);
	}

	/**
	 * @return whether the operating system picks the block
	 */
	public boolean chosenByOperatingSystem() {
		return this.startPort == 0;
	}

	/**
	 * @return the block, {@code null} when the operating system picks it
	 */
	public PortBlock block() {
		return chosenByOperatingSystem() ? null : new PortBlock(this.startPort, this.count);
	}

	/**
	 * @return whether the block would run past port 65535
	 */
	public boolean overflows() {
		return !chosenByOperatingSystem() && (long) this.startPort + this.count - 1 > PortBlock.MAX_PORT;
	}

	/**
	 * @return how the start was decided, for log lines
	 */
	public String placement() {
		if (chosenByOperatingSystem()) {
			return "chosen by the operating system";
		}
		return (SERVER_PORT.equals(this.startSource))
				? "starts at server.port=" + this.startPort + " (portreservation.start-port is not set)"
				: "starts at " + START_PORT + "=" + this.startPort;
	}

}
