package dev.portreservation.autoconfigure;

import java.util.Locale;

import dev.portreservation.core.PortReservationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a failed port reservation: which block, why, the native error code, and the concrete fix.
 * <p>
 * Ordered first because Boot's own analyzers would otherwise report a reservation conflict as a generic
 * "port already in use" (the conflict's cause is a {@link java.net.BindException}).
 */
class PortReservationFailureAnalyzer extends AbstractFailureAnalyzer<PortReservationException> implements Ordered {

	static final String JVM_FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortReservationException cause) {
		return new FailureAnalysis(description(cause), action(cause), cause);
	}

	private String description(PortReservationException cause) {
		StringBuilder description = new StringBuilder("Port reservation failed: ").append(cause.getMessage());
		description.append(String.format("%n%n    Reason:      %s", cause.getReason()));
		description.append(String.format("%n    Block:       %s", cause.getBlock()
			.map((block) -> cause.getProtocol().map((protocol) -> protocol + " ").orElse("") + block)
			.orElse("(not reserved yet)")));
		description.append(String.format("%n    Native code: %s",
				cause.getNativeCode().map(String::valueOf).orElse("none (not a native failure)")));
		return description.toString();
	}

	private String action(PortReservationException cause) {
		if (cause instanceof PortReservationSetupException setup && setup.getAction() != null) {
			return setup.getAction();
		}
		String message = String.valueOf(cause.getMessage());
		return switch (cause.getReason()) {
			case ACCESS_DENIED -> "Creating or using a persistent block needs privileges: run the application "
					+ "elevated (Windows: as administrator; Linux: as root or with CAP_NET_ADMIN), or set "
					+ "portreservation.kind=runtime, which needs none.";
			case CONFLICT -> "The block overlaps another reservation or a port of it is in use. Choose another "
					+ "portreservation.start-port, or set portreservation.kind=runtime with "
					+ "portreservation.start-port=0 to let the operating system pick a free block. "
					+ conflictHint();
			case EXHAUSTED -> "Every port of the block is in use. Raise portreservation.count, or stop what holds "
					+ "ports of the block (the management server and each additional connector take a port too).";
			case NOT_FOUND -> "No persistent reservation of this block is recorded. Let the application create "
					+ "it (portreservation.kind=persistent, run elevated once), or use portreservation.kind=runtime.";
			case INVALID -> "Fix the request: a port asked of the block must be 0 (any free port of the block) "
					+ "or inside the block; check server.port, management.server.port and portreservation.*.";
			case UNSUPPORTED -> unsupportedAction(message);
			case SYSTEM_ERROR -> "The operating system refused in an unexpected way (see the native code and the "
					+ "cause below). Retry; if it persists, set portreservation.backend=portable or "
					+ "portreservation.enabled=false to start without an OS-enforced block.";
		};
	}

	/** Where to look on this platform, and only this one. */
	private static String conflictHint() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (os.startsWith("windows")) {
			return "('portreservation who PORT' names a port's holder; 'netsh interface ipv4 show "
					+ "excludedportrange protocol=tcp' lists reserved ranges.)";
		}
		if (os.startsWith("linux")) {
			return "('portreservation who PORT' names a port's holder, 'portreservation list' the reserved blocks "
					+ "and ip_local_reserved_ports.)";
		}
		return "";
	}

	private String unsupportedAction(String message) {
		if (message.contains("--add-exports") || message.contains("sun.nio.ch")) {
			return "Start the JVM with " + JVM_FLAG + " (or add 'Add-Exports: java.base/sun.nio.ch' to the "
					+ "manifest of the executable jar) so the socket handle can be passed to the operating system.";
		}
		if (message.contains("portreservation.backend") || message.contains("Backend ")) {
			return "Put the backend for this operating system on the classpath, or set "
					+ "portreservation.backend=portable to keep the reservation inside this JVM.";
		}
		return "This platform or channel cannot use the reservation. Use a TCP block for servers "
				+ "(portreservation.protocol=tcp), set portreservation.backend=portable, or set "
				+ "portreservation.enabled=false.";
	}

}
