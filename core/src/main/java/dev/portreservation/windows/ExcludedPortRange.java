package dev.portreservation.windows;

import dev.portreservation.core.PortBlock;

/**
 * A row of {@code netsh interface ipv4|ipv6 show excludedportrange}: ports Windows keeps
 * out of automatic assignment and refuses to reserve again.
 *
 * @param start the first port
 * @param end the last port
 * @param administered whether the row is marked {@code *}: an administered exclusion (a
 * persistent reservation, or a range an administrator added with
 * {@code netsh int ipv4 add excludedportrange}); unmarked rows are runtime-style ranges
 * the system took (Hyper-V, WinNAT, WSL, http.sys, Docker), which move at every reboot
 */
public record ExcludedPortRange(int start, int end, boolean administered) implements Comparable<ExcludedPortRange> {

	public ExcludedPortRange {
		if (start < 1 || end > PortBlock.MAX_PORT || start > end) {
			throw new IllegalArgumentException("Not a port range: " + start + "-" + end);
		}
	}

	/**
	 * @param port a port
	 * @return whether the range holds it
	 */
	public boolean contains(int port) {
		return port >= this.start && port <= this.end;
	}

	/**
	 * @param block a block
	 * @return whether a port of the block lies in this range
	 */
	public boolean overlaps(PortBlock block) {
		return block.startPort() <= this.end && block.endPort() >= this.start;
	}

	/**
	 * @return who holds a range of this kind, in words for a message
	 */
	public String holder() {
		return this.administered
				? "administered: a persistent reservation, or a range an administrator excluded with netsh; it stays "
						+ "across reboots until deleted"
				: "held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot";
	}

	@Override
	public int compareTo(ExcludedPortRange other) {
		int byStart = Integer.compare(this.start, other.start);
		return (byStart != 0) ? byStart : Integer.compare(this.end, other.end);
	}

	@Override
	public String toString() {
		return ((this.start == this.end) ? String.valueOf(this.start) : this.start + "-" + this.end)
				+ (this.administered ? " *" : "");
	}

}
