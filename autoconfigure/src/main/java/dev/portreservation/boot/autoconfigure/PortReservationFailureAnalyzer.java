package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.PortReservationSetupException;

import java.util.Locale;

import dev.portreservation.core.BackendType;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a failed port reservation: which block, why, the native error code, and the
 * concrete fix.
 * <p>
 * The core library names no Spring property; all Spring advice lives here and is chosen
 * from the exception's typed fields (reason, problem, port, address, path, backend),
 * never from its message nor from the environment. Platform hints (Windows {@code netsh},
 * Linux {@code ss}) appear only for the platform whose backend failed.
 * <p>
 * Ordered first because Boot's own analyzers would otherwise report a reservation
 * conflict as a generic "port already in use" (the conflict's cause is a
 * {@link java.net.BindException}).
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
		description.append(String.format("%n    Block:       %s",
				cause.getBlock()
					.map((block) -> cause.getProtocol().map((protocol) -> protocol + " ").orElse("") + block)
					.orElse("(not reserved yet)")));
		cause.getAddress()
			.ifPresent(
					(address) -> description.append(String.format("%n    Address:     %s", address.getHostAddress())));
		cause.getPort().ifPresent((port) -> description.append(String.format("%n    Port:        %d", port)));
		cause.getPath().ifPresent((path) -> description.append(String.format("%n    Path:        %s", path)));
		description.append(String.format("%n    Native code: %s",
				cause.getNativeCode().map(String::valueOf).orElse("none (not a native failure)")));
		return description.toString();
	}

	private String action(PortReservationException cause) {
		if (cause instanceof PortReservationSetupException setup && setup.getAction() != null) {
			return setup.getAction();
		}
		BackendType platform = platform(cause);
		String problemAction = cause.getProblem()
			.map((problem) -> problemAction(problem, cause, platform))
			.orElse(null);
		return (problemAction != null) ? problemAction : reasonAction(cause, platform);
	}

	private String problemAction(Problem problem, PortReservationException cause, BackendType platform) {
		String address = cause.getAddress().map((a) -> a.getHostAddress()).orElse("the address");
		String port = cause.getPort().map(String::valueOf).orElse("the port");
		return switch (problem) {
			case ADDRESS_NOT_LOCAL -> "No network interface of this host has " + address + ". Set server.address "
					+ "(and management.server.address, if set) to an address of this host, or remove it to listen "
					+ "on all addresses. The block is fine; this is not a port conflict.";
			case PRIVILEGED_PORT -> "Port " + port + " is privileged (below net.ipv4.ip_unprivileged_port_start). "
					+ "Set portreservation.start-port at or above that limit, or grant the process "
					+ "CAP_NET_BIND_SERVICE.";
			case PORT_IN_USE -> conflictAction(cause, platform);
			case RESERVED_AS_PERSISTENT -> "The ports are already a persistent block (listed in "
					+ "ip_local_reserved_ports). Set portreservation.kind=persistent to bind from that block, or "
					+ "choose another portreservation.start-port (portreservation.start-port=0 lets the system "
					+ "choose a free block).";
			case NEEDS_PRIVILEGE -> accessAction(platform);
			case UNSAFE_STATE_DIRECTORY -> stateDirectoryAction(cause);
			case UNSAFE_RUNTIME_DIRECTORY -> "Fix the runtime directory named above: only this user (or root) can "
					+ "have made it writable by group or others, so make it a directory of this user with mode 0700 "
					+ "(chmod 700), or remove it when no process of this user runs. Its place depends on the user "
					+ "alone, so that every process of the user sees the same locks.";
			case IPV4_ONLY_JVM -> "Remove -Djava.net.preferIPv4Stack=true from the JVM options (its sockets then "
					+ "hold IPv6 themselves), or let JNA load its native library so the Linux backend can hold the "
					+ "IPv6 side.";
			case BACKEND_UNAVAILABLE -> (platform == BackendType.WINDOWS)
					? "The windows backend cannot run on this system (the message above says why: a Windows build "
							+ "older than 17763, or a native library that does not load). Set "
							+ "portreservation.backend=portable to keep the reservation inside this JVM (the operating "
							+ "system then enforces nothing), or update Windows."
					: "The " + cause.getBackend().orElse("selected") + " backend cannot run on "
							+ "this system. Set portreservation.backend=auto to use the one for this operating system, "
							+ "or portreservation.backend=portable to keep the reservation inside this JVM.";
			case JDK_INTERNALS_CLOSED -> "Start the JVM with " + JVM_FLAG + " (or add 'Add-Exports: "
					+ "java.base/sun.nio.ch' to the manifest of the executable jar) so the socket handle can be "
					+ "passed to the operating system.";
			case WRONG_PROTOCOL -> "Use a TCP block for servers (portreservation.protocol=tcp), or set "
					+ "portreservation.server.enabled=false to keep the web server off a UDP block.";
			case PORT_OUTSIDE_BLOCK -> null;
			case EXCLUDED_PORT_RANGE -> excludedRangeAction(cause);
		};
	}

	private String reasonAction(PortReservationException cause, BackendType platform) {
		return switch (cause.getReason()) {
			case ACCESS_DENIED -> accessAction(platform);
			case CONFLICT -> conflictAction(cause, platform);
			case EXHAUSTED -> "Every port of the block is in use. Raise portreservation.count, or stop what holds "
					+ "ports of the block (the management server and each additional connector take a port too).";
			case NOT_FOUND -> "No persistent reservation of this block is recorded. Let the application create "
					+ "it (portreservation.kind=persistent, with the privilege to create it), or use "
					+ "portreservation.kind=runtime.";
			case INVALID -> "Fix the request: a port asked of the block must be 0 (any free port of the block) "
					+ "or inside the block; check server.port, management.server.port and portreservation.*.";
			case UNSUPPORTED -> "This platform or channel cannot use the reservation. Set "
					+ "portreservation.backend=portable, or portreservation.enabled=false.";
			case SYSTEM_ERROR -> "The operating system refused in an unexpected way (see the native code and the "
					+ "cause below). Retry; if it persists, set portreservation.backend=portable or "
					+ "portreservation.enabled=false to start without an OS-enforced block.";
		};
	}

	private static String conflictAction(PortReservationException cause, BackendType platform) {
		String action = "The block overlaps another reservation or a port of it is in use. Choose another "
				+ "portreservation.start-port, or set portreservation.kind=runtime with "
				+ "portreservation.start-port=0 to let the operating system pick a free block.";
		if (platform == BackendType.WINDOWS) {
			return action + " ('portreservation who PORT' names a port's holder; 'netsh interface ipv4 show "
					+ "excludedportrange protocol=" + protocolName(cause) + "' lists reserved ranges.)";
		}
		if (platform == BackendType.LINUX) {
			return action + " ('portreservation who PORT' names a port's holder, including this library's holders that "
					+ "ss does not show; 'portreservation list' the reserved blocks and ip_local_reserved_ports.)";
		}
		return action;
	}

	/**
	 * Windows' excluded port ranges (Hyper-V / WinNAT / WSL / http.sys, or administered
	 * ones): the message names the ranges and a clear start port.
	 */
	private static String excludedRangeAction(PortReservationException cause) {
		String udp = (cause.getProtocol().orElse(null) == dev.portreservation.core.Protocol.UDP) ? " --udp" : "";
		String block = cause.getBlock().map((b) -> b.startPort() + " " + b.count()).orElse("START COUNT");
		return "Ports of the block lie in a range Windows excludes (named above; 'portreservation excluded" + udp
				+ "' lists them all). Set portreservation.start-port to the start named above, which is clear of "
				+ "every range, or create the block once as a persistent reservation from an elevated shell "
				+ "('portreservation create " + block + udp + "' while the ports are not excluded) and set "
				+ "portreservation.kind=persistent.";
	}

	private static String accessAction(BackendType platform) {
		if (platform == BackendType.WINDOWS) {
			return "Creating or using a persistent block needs an elevated administrator: run the application "
					+ "elevated, or set portreservation.kind=runtime, which needs no elevation.";
		}
		if (platform == BackendType.LINUX) {
			return "Creating a persistent block needs CAP_NET_ADMIN (run as root, or grant the capability, e.g. "
					+ "AmbientCapabilities=CAP_NET_ADMIN in a systemd unit) and a writable "
					+ "portreservation.linux.state-directory; or set portreservation.kind=runtime, which needs no "
					+ "privilege.";
		}
		return "The operating system denied the reservation for lack of privileges: run the application with "
				+ "them, or set portreservation.kind=runtime, which needs none.";
	}

	private static String stateDirectoryAction(PortReservationException cause) {
		String path = cause.getPath().map(String::valueOf).orElse("the state directory");
		if (cause.getPath().isPresent() && !cause.getPath().get().isAbsolute()) {
			return "Set portreservation.linux.state-directory to an absolute path (every process sharing "
					+ "persistent blocks must use the same directory).";
		}
		return "Fix " + path + " as described above, or set portreservation.linux.state-directory to a directory "
				+ "owned by this user or root that only its owner can write, below parents that only root or this "
				+ "user can write (or that have the sticky bit). The library creates a missing directory 0700.";
	}

	// From the failure's own backend field only: without one, no platform's tools are
	// suggested (the advice stays true whatever backend the configuration names).
	private static @Nullable BackendType platform(PortReservationException cause) {
		String name = cause.getBackend().map((backend) -> backend.strip().toLowerCase(Locale.ROOT)).orElse(null);
		for (BackendType type : BackendType.values()) {
			if (type.backendName().equals(name)) {
				return type;
			}
		}
		return null;
	}

	private static String protocolName(PortReservationException cause) {
		return cause.getProtocol().map((protocol) -> protocol.name().toLowerCase(Locale.ROOT)).orElse("tcp");
	}

}
