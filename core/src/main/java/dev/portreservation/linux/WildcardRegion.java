package dev.portreservation.linux;

import dev.portreservation.core.PortBlock;

/**
 * Where a block the backend chooses itself is placed, given the namespace's ephemeral
 * range ({@code ip_local_port_range}, 32768-60999 by default).
 * <p>
 * First choice is above the ephemeral range (61000-65535 by default): the kernel never
 * hands those ports to outgoing connections and services rarely pick them as fixed ports.
 * Second is the ephemeral range itself: held ports are skipped by automatic assignment,
 * so the only cost is a smaller pool for outgoing connections and a retry when a
 * candidate port is in use by one. Ports below the ephemeral range are the last resort
 * (the whole unprivileged range), because that is where services with fixed ports live
 * (8080, 5432, ...), and one of them starting later would find its port taken.
 */
final class WildcardRegion {

	/** Lowest port a block is placed at: the first unprivileged port. */
	static final int LOWEST = 1024;

	private WildcardRegion() {
	}

	/**
	 * @param ephemeralLow first port of the ephemeral range
	 * @param ephemeralHigh last port of the ephemeral range
	 * @param count the block size
	 * @return the region to place a block of that size in; at least {@code count} ports
	 * long
	 */
	static PortBlock choose(int ephemeralLow, int ephemeralHigh, int count) {
		int low = Math.max(ephemeralLow, LOWEST);
		int high = Math.min(ephemeralHigh, PortBlock.MAX_PORT);
		if (PortBlock.MAX_PORT - high >= count) {
			return new PortBlock(high + 1, PortBlock.MAX_PORT - high);
		}
		if (high >= low && high - low + 1 >= count) {
			return new PortBlock(low, high - low + 1);
		}
		return new PortBlock(LOWEST, PortBlock.MAX_PORT - LOWEST + 1);
	}

	/**
	 * Parses {@code ip_local_port_range}.
	 * @param text two numbers separated by white space, as the kernel prints them
	 * @return {@code {low, high}}
	 * @throws IllegalArgumentException when the text is not two ports
	 */
	static int[] parseRange(String text) {
		String[] fields = text.strip().split("\\s+");
		if (fields.length != 2) {
			throw new IllegalArgumentException("Expected 'low high' in ip_local_port_range, found '" + text + "'");
		}
		try {
			return new int[] { Integer.parseInt(fields[0]), Integer.parseInt(fields[1]) };
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Expected 'low high' in ip_local_port_range, found '" + text + "'", ex);
		}
	}

}
