package dev.portreservation.linux;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import dev.portreservation.core.PortBlock;

/**
 * The contents of {@code /proc/sys/net/ipv4/ip_local_reserved_ports}: a set of ports
 * written and read as comma-separated ports and ranges ({@code "8080,9000-9010"}). The
 * kernel keeps the list as a bitmap, so it reads back merged and sorted whatever was
 * written; this class does the same, which makes a read, an edit and a write round-trip
 * to exactly what the kernel will show.
 * <p>
 * Immutable: edits return a new value.
 */
final class IpLocalReservedPorts {

	/** Highest port the kernel's bitmap holds. */
	private static final int MAX_PORT = 65535;

	private static final IpLocalReservedPorts NONE = new IpLocalReservedPorts(new BitSet(MAX_PORT + 1));

	private final BitSet ports;

	private IpLocalReservedPorts(BitSet ports) {
		this.ports = ports;
	}

	/**
	 * @return an empty list
	 */
	static IpLocalReservedPorts none() {
		return NONE;
	}

	/**
	 * Parses the list as the kernel prints it or as an administrator writes it.
	 * @param text ports and {@code start-end} ranges separated by commas; blank for none
	 * @return the reserved ports
	 * @throws IllegalArgumentException naming the bad entry when the text is not such a
	 * list
	 */
	static IpLocalReservedPorts parse(String text) {
		BitSet ports = new BitSet(MAX_PORT + 1);
		String trimmed = text.strip();
		if (trimmed.isEmpty()) {
			return NONE;
		}
		for (String entry : trimmed.split(",")) {
			String range = entry.strip();
			int dash = range.indexOf('-');
			int start = parsePort(range, (dash < 0) ? range : range.substring(0, dash));
			int end = (dash < 0) ? start : parsePort(range, range.substring(dash + 1));
			if (end < start) {
				throw new IllegalArgumentException(
						"Reserved port range '" + range + "' ends before it starts; write it as low-high");
			}
			ports.set(start, end + 1);
		}
		return new IpLocalReservedPorts(ports);
	}

	private static int parsePort(String entry, String number) {
		try {
			int port = Integer.parseInt(number.strip());
			if (port < 0 || port > MAX_PORT) {
				throw new IllegalArgumentException("Reserved port entry '" + entry + "' is outside 0-" + MAX_PORT);
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"Reserved port entry '" + entry + "' is not a port or a start-end range of ports", ex);
		}
	}

	/**
	 * @param block a block
	 * @return this list with every port of the block added; entries already present stay
	 */
	IpLocalReservedPorts with(PortBlock block) {
		BitSet copy = (BitSet) this.ports.clone();
		copy.set(block.startPort(), block.endPort() + 1);
		return new IpLocalReservedPorts(copy);
	}

	/**
	 * @param block a block
	 * @return this list without the ports of the block; every other port stays
	 */
	IpLocalReservedPorts without(PortBlock block) {
		BitSet copy = (BitSet) this.ports.clone();
		copy.clear(block.startPort(), block.endPort() + 1);
		return new IpLocalReservedPorts(copy);
	}

	/**
	 * @param block a block
	 * @return whether every port of the block is reserved
	 */
	boolean containsAll(PortBlock block) {
		int firstFree = this.ports.nextClearBit(block.startPort());
		return firstFree > block.endPort();
	}

	/**
	 * @param block a block
	 * @return the reserved ports inside the block, as a list in the kernel's format
	 * (empty when none)
	 */
	IpLocalReservedPorts within(PortBlock block) {
		BitSet inside = this.ports.get(0, block.endPort() + 1);
		inside.clear(0, block.startPort());
		return new IpLocalReservedPorts(inside);
	}

	/**
	 * @return whether no port is reserved
	 */
	boolean isEmpty() {
		return this.ports.isEmpty();
	}

	/**
	 * @return the reserved ports as maximal runs, lowest first
	 */
	List<int[]> ranges() {
		List<int[]> ranges = new ArrayList<>();
		int start = this.ports.nextSetBit(0);
		while (start >= 0) {
			int end = this.ports.nextClearBit(start) - 1;
			ranges.add(new int[] { start, end });
			start = (end + 1 <= MAX_PORT) ? this.ports.nextSetBit(end + 1) : -1;
		}
		return ranges;
	}

	/**
	 * @return the list in the kernel's own format: maximal runs, lowest first,
	 * {@code "a"} or {@code "a-b"}, comma-separated; empty when nothing is reserved
	 */
	String format() {
		StringBuilder text = new StringBuilder();
		for (int[] range : ranges()) {
			if (text.length() > 0) {
				text.append(',');
			}
			text.append(range[0]);
			if (range[1] > range[0]) {
				text.append('-').append(range[1]);
			}
		}
		return text.toString();
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof IpLocalReservedPorts reserved) && this.ports.equals(reserved.ports);
	}

	@Override
	public int hashCode() {
		return this.ports.hashCode();
	}

	@Override
	public String toString() {
		return format();
	}

}
