package dev.portreservation.windows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.Protocol;

/**
 * Who has ports on Windows: {@code GetExtendedTcpTable(TCP_TABLE_OWNER_PID_ALL)} and
 * {@code GetExtendedUdpTable(UDP_TABLE_OWNER_PID)} for IPv4 and IPv6, which give every
 * endpoint's owning pid; the command line comes from {@link ProcessHandle}. A runtime
 * port reservation of another process ({@code SIO_ACQUIRE_PORT_RESERVATION}) is not a
 * socket, and no API lists it with its owner.
 */
public final class WindowsPortHolders implements PortHolders {

	/**
	 * Row sizes: MIB_TCPROW_OWNER_PID, MIB_TCP6ROW_OWNER_PID, MIB_UDPROW_OWNER_PID,
	 * MIB_UDP6ROW_OWNER_PID.
	 */
	static final int TCP_ROW = 24;

	static final int TCP6_ROW = 56;

	static final int UDP_ROW = 12;

	static final int UDP6_ROW = 28;

	/**
	 * How often the table may grow between the size query and the call before the look-up
	 * gives up.
	 */
	static final int ATTEMPTS = 8;

	private static final String[] TCP_STATES = { "UNKNOWN", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
			"FIN_WAIT1", "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "DELETE_TCB" };

	private final String library;

	private volatile IpHelperTables tables;

	/** The look-up on Windows ({@code iphlpapi.dll}). */
	public WindowsPortHolders() {
		this(IpHelper.LIBRARY);
	}

	/**
	 * @param library the name or path of a library exporting the two functions (the
	 * simulator in tests); it is loaded at the first look-up
	 */
	public WindowsPortHolders(String library) {
		this.library = library;
	}

	@Override
	public List<PortHolder> find(Protocol protocol, PortBlock ports) {
		Set<PortHolder> holders = new LinkedHashSet<>();
		Map<Long, String> commands = new HashMap<>();
		for (int family : new int[] { IpHelperTables.AF_INET, IpHelperTables.AF_INET6 }) {
			try {
				for (Row row : rows(protocol, family)) {
					if (ports.contains(row.port())) {
						long pid = (row.pid() != 0) ? row.pid() : PortHolder.UNKNOWN;
						String command = (pid != PortHolder.UNKNOWN)
								? commands.computeIfAbsent(pid, WindowsPortHolders::commandOf) : null;
						holders.add(PortHolder.socket(protocol, row.port(), row.state(), row.address(), pid, command,
								PortHolder.UNKNOWN));
					}
				}
			}
			catch (RuntimeException | LinkageError ex) {
				// Naming the holder must never hide the failure it explains; this family
				// stays unnamed.
			}
		}
		List<PortHolder> sorted = new ArrayList<>(holders);
		sorted.sort(Comparator.comparingInt(PortHolder::port).thenComparingLong(PortHolder::pid));
		return List.copyOf(sorted);
	}

	/**
	 * @param protocol the table
	 * @param family {@link IpHelperTables#AF_INET} or {@link IpHelperTables#AF_INET6}
	 * @return the table's rows; empty when the call keeps failing
	 */
	List<Row> rows(Protocol protocol, int family) {
		IpHelperTables api = tables();
		boolean tcp = protocol == Protocol.TCP;
		IntByReference size = new IntByReference(0);
		Memory buffer = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int result = tcp
					? api.GetExtendedTcpTable(buffer, size, 0, family, IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0)
					: api.GetExtendedUdpTable(buffer, size, 0, family, IpHelperTables.UDP_TABLE_OWNER_PID, 0);
			if (result == IpHelper.NO_ERROR && buffer != null) {
				return parse(buffer, Math.min(size.getValue(), (int) buffer.size()), tcp,
						family == IpHelperTables.AF_INET6);
			}
			if (result != IpHelperTables.ERROR_INSUFFICIENT_BUFFER || size.getValue() <= 0) {
				return List.of();
			}
			// Sockets may appear between the two calls: ask again with the size just
			// reported.
			buffer = new Memory(size.getValue());
		}
		return List.of();
	}

	private static List<Row> parse(Memory table, int size, boolean tcp, boolean ipv6) {
		int rowSize = tcp ? (ipv6 ? TCP6_ROW : TCP_ROW) : (ipv6 ? UDP6_ROW : UDP_ROW);
		long entries = Integer.toUnsignedLong(table.getInt(0));
		if (size < 4 || entries > (size - 4) / rowSize) {
			return List.of();
		}
		List<Row> rows = new ArrayList<>((int) entries);
		for (int i = 0; i < entries; i++) {
			long row = 4L + (long) i * rowSize;
			// Offsets of the local address, local port, state and pid in each row layout.
			long address = row + ((tcp && !ipv6) ? 4 : 0);
			long port = row + (ipv6 ? 20 : (tcp ? 8 : 4));
			long pid = row + (tcp ? (ipv6 ? 52 : 20) : (ipv6 ? 24 : 8));
			String state = tcp ? tcpState(table.getInt(row + (ipv6 ? 48 : 0))) : "BOUND";
			rows.add(new Row(address(table.getByteArray(address, ipv6 ? 16 : 4)), networkPort(table, port), state,
					Integer.toUnsignedLong(table.getInt(pid))));
		}
		return rows;
	}

	/**
	 * A port in network byte order in the first two bytes of its DWORD, whatever the
	 * machine's order.
	 */
	private static int networkPort(Memory table, long offset) {
		return ((table.getByte(offset) & 0xFF) << 8) | (table.getByte(offset + 1) & 0xFF);
	}

	private static String address(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static String tcpState(int state) {
		return (state > 0 && state < TCP_STATES.length) ? TCP_STATES[state] : "STATE_" + state;
	}

	private static String commandOf(long pid) {
		return ProcessHandle.of(pid)
			.map(ProcessHandle::info)
			.flatMap((info) -> info.commandLine().or(info::command))
			.orElse(null);
	}

	private IpHelperTables tables() {
		IpHelperTables loaded = this.tables;
		if (loaded == null) {
			Map<String, Object> options = new HashMap<>();
			if (Platform.isWindows() && !Platform.is64Bit()) {
				// WINAPI is __stdcall on 32-bit Windows.
				options.put(Library.OPTION_CALLING_CONVENTION, Function.ALT_CONVENTION);
			}
			loaded = Native.load(this.library, IpHelperTables.class, options);
			this.tables = loaded;
		}
		return loaded;
	}

	/**
	 * One endpoint of a table.
	 *
	 * @param address the local address
	 * @param port the local port
	 * @param state the TCP state's name, {@code BOUND} for UDP
	 * @param pid the owning pid, 0 for none
	 */
	record Row(String address, int port, String state, long pid) {
	}

}
