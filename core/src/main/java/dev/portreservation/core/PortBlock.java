package dev.portreservation.core;

/**
 * A contiguous block of ports {@code [startPort, startPort + count - 1]}.
 *
 * @param startPort first port of the block, 1..65535
 * @param count number of ports, at least 1, and the block must end at or below 65535
 */
public record PortBlock(int startPort, int count) {

	/** Highest port number of any protocol. */
	public static final int MAX_PORT = 65535;

	public PortBlock {
		if (startPort < 1 || startPort > MAX_PORT) {
			throw new IllegalArgumentException("startPort must be between 1 and 65535, was " + startPort);
		}
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1, was " + count);
		}
		if ((long) startPort + count - 1 > MAX_PORT) {
			throw new IllegalArgumentException("Block " + startPort + "+" + count + " ends at "
					+ ((long) startPort + count - 1) + ", beyond port 65535; lower startPort or count");
		}
	}

	/**
	 * Parses the {@code "start-end"} form produced by {@link #toString()}.
	 * @param range a range such as {@code "40000-40007"}, or a single port
	 * @return the block
	 */
	public static PortBlock parse(String range) {
		String trimmed = range.strip();
		int dash = trimmed.indexOf('-');
		try {
			if (dash < 0) {
				return new PortBlock(Integer.parseInt(trimmed), 1);
			}
			int start = Integer.parseInt(trimmed.substring(0, dash).strip());
			int end = Integer.parseInt(trimmed.substring(dash + 1).strip());
			if (end < start) {
				throw new IllegalArgumentException("Range '" + range + "' ends before it starts");
			}
			return new PortBlock(start, end - start + 1);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Range '" + range + "' is not of the form start-end", ex);
		}
	}

	/**
	 * @return the last port of the block
	 */
	public int endPort() {
		return this.startPort + this.count - 1;
	}

	/**
	 * @param port a port number
	 * @return whether the port lies inside this block
	 */
	public boolean contains(int port) {
		return port >= this.startPort && port <= endPort();
	}

	/**
	 * @param other another block
	 * @return whether the two blocks share at least one port
	 */
	public boolean overlaps(PortBlock other) {
		return this.startPort <= other.endPort() && other.startPort <= endPort();
	}

	@Override
	public String toString() {
		return (this.count == 1) ? Integer.toString(this.startPort) : this.startPort + "-" + endPort();
	}

}
