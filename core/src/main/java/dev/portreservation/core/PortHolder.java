package dev.portreservation.core;

import java.util.List;
import java.util.Locale;

/**
 * Who has a port, as far as the operating system can tell: a socket of some process
 * (listening, connected, bound, or a connection the kernel keeps in {@code TIME_WAIT}
 * without any process), or a block of this library held by a process (Linux: the
 * per-process holder registry; these ports do not show up as sockets).
 *
 * @param protocol the protocol of the port
 * @param port the port
 * @param kind what has the port
 * @param state for a socket the OS's state name ({@code LISTEN}, {@code ESTABLISHED},
 * {@code TIME_WAIT}, {@code BOUND} for UDP, ...); {@code null} for a block
 * @param localAddress for a socket the local address it is bound to ({@code 0.0.0.0},
 * {@code ::} for every address); {@code null} for a block
 * @param block for a block of this library the whole block; {@code null} for a socket
 * @param pid the owning process, or {@link #UNKNOWN} when the OS does not say (a
 * {@code TIME_WAIT} connection, or another user's process this user may not inspect)
 * @param command the owning process's command line, or {@code null} when unknown
 * @param uid the owner's user id, or {@link #UNKNOWN} (Windows does not say)
 * @param leaseOwner for a block of this library, who the process has leased or lent the
 * port to (a named port such as {@code partner}, or a channel's owner) as its holder
 * record says; {@code null} when not leased, not known, or for a socket
 */
public record PortHolder(Protocol protocol, int port, Kind kind, String state, String localAddress, PortBlock block,
		long pid, String command, long uid, String leaseOwner) {

	/** Value of {@link #pid()} and {@link #uid()} when the OS does not tell. */
	public static final long UNKNOWN = -1;

	/** How many holders a failure message names before it says "and N more". */
	static final int NAMED_IN_MESSAGES = 5;

	/** What has the port. */
	public enum Kind {

		/** A socket bound to the port. */
		SOCKET,

		/** A runtime block of this library that covers the port. */
		RUNTIME_BLOCK,

		/** A persistent block of this library that a live process has open. */
		PERSISTENT_BLOCK

	}

	/**
	 * @param protocol the protocol
	 * @param port the port
	 * @param state the socket's state
	 * @param localAddress the local address
	 * @param pid the owning process or {@link #UNKNOWN}
	 * @param command its command line or {@code null}
	 * @param uid its user id or {@link #UNKNOWN}
	 * @return a socket holder
	 */
	public static PortHolder socket(Protocol protocol, int port, String state, String localAddress, long pid,
			String command, long uid) {
		return new PortHolder(protocol, port, Kind.SOCKET, state, localAddress, null, pid, command, uid, null);
	}

	/**
	 * @param protocol the protocol
	 * @param port the port asked about
	 * @param kind {@link Kind#RUNTIME_BLOCK} or {@link Kind#PERSISTENT_BLOCK}
	 * @param block the block covering the port
	 * @param pid the process holding it
	 * @param command its command line or {@code null}
	 * @param uid its user id or {@link #UNKNOWN}
	 * @return a block holder
	 */
	public static PortHolder block(Protocol protocol, int port, Kind kind, PortBlock block, long pid, String command,
			long uid) {
		return new PortHolder(protocol, port, kind, null, null, block, pid, command, uid, null);
	}

	/**
	 * @param owner who the port is leased or lent to, or {@code null}
	 * @return this block holder naming the port's lease owner
	 */
	public PortHolder withLeaseOwner(String owner) {
		return new PortHolder(this.protocol, this.port, this.kind, this.state, this.localAddress, this.block, this.pid,
				this.command, this.uid, owner);
	}

	/**
	 * @return whether the owning process is known
	 */
	public boolean pidKnown() {
		return this.pid != UNKNOWN;
	}

	/**
	 * @return one line naming the process and how it has the port, for example
	 * {@code pid 4242 (python3 -m http.server 40001) listening on 0.0.0.0:40001}
	 */
	public String describe() {
		String protocolName = this.protocol.name();
		String how = switch (this.kind) {
			case RUNTIME_BLOCK ->
				"holds it in its runtime " + protocolName + " block " + this.block + " (portreservation)" + leasedTo();
			case PERSISTENT_BLOCK ->
				"uses the persistent " + protocolName + " block " + this.block + " (portreservation)" + leasedTo();
			case SOCKET -> socketState() + " on " + address() + ":" + this.port;
		};
		if (this.kind == Kind.SOCKET && "TIME_WAIT".equals(this.state)) {
			return "a " + protocolName + " connection in TIME_WAIT on " + address() + ":" + this.port
					+ " (no process; the kernel ends it within a minute)";
		}
		return who() + " " + how;
	}

	private String who() {
		if (!pidKnown()) {
			String user = (this.uid != UNKNOWN) ? " of uid " + this.uid : "";
			return "a process" + user + " this user may not inspect (run as root / administrator to see which)";
		}
		String owner = "pid " + this.pid;
		return (this.command != null && !this.command.isBlank()) ? owner + " (" + shortCommand() + ")" : owner;
	}

	/**
	 * @return the command line for one-line messages: a JVM named by its main class or
	 * jar, other programs with a class path shown as {@code ...}, at most
	 * {@value CommandLineSummary#MAX_LENGTH} characters ({@link CommandLineSummary})
	 */
	public String shortCommand() {
		return CommandLineSummary.of(this.command);
	}

	private String leasedTo() {
		return (this.leaseOwner != null) ? ", port " + this.port + " leased to '" + this.leaseOwner + "'" : "";
	}

	private String socketState() {
		if (this.state == null) {
			return "has a socket";
		}
		return switch (this.state) {
			case "LISTEN" -> "listening";
			case "ESTABLISHED" -> "connected";
			case "BOUND" -> "bound";
			default -> "has a socket in state " + this.state;
		};
	}

	private String address() {
		if (this.localAddress == null) {
			return "*";
		}
		return this.localAddress.contains(":") ? "[" + this.localAddress + "]" : this.localAddress;
	}

	/**
	 * @param holders holders found for a failure
	 * @return {@code ""} when there are none, otherwise {@code "; held by ..."} naming up
	 * to five of them, for appending to a failure message
	 */
	public static String describeAll(List<PortHolder> holders) {
		if (holders == null || holders.isEmpty()) {
			return "";
		}
		StringBuilder text = new StringBuilder("; held by ");
		int named = Math.min(holders.size(), NAMED_IN_MESSAGES);
		for (int i = 0; i < named; i++) {
			if (i > 0) {
				text.append(", ");
			}
			text.append(holders.get(i).describe());
		}
		if (holders.size() > named) {
			text.append(String.format(Locale.ROOT, " and %d more", holders.size() - named));
		}
		return text.toString();
	}

}
