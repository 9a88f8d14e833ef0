package dev.portreservation.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * The excluded port ranges of {@code netsh interface ipv4|ipv6 show excludedportrange
 * protocol=tcp|udp}, read by the shape of the rows rather than by their words: the
 * headings are translated ("Protocol tcp Port Exclusion Ranges", "Portausschlussbereiche
 * für das Protokoll "tcp"", ...) and printed in the console's code page, the rows are two
 * port numbers and an optional {@code *} in every language. Windows offers no documented
 * API that lists them.
 */
public final class ExcludedPortRanges {

	/**
	 * A row: start and end port, then {@code *} for an administered exclusion. Spaces may
	 * be any white space, no-break spaces included.
	 */
	private static final Pattern ROW = Pattern
		.compile("^[\\s\\u00A0]*(\\d{1,5})[\\s\\u00A0]+(\\d{1,5})(?:[\\s\\u00A0]+(\\*))?[\\s\\u00A0]*$");

	/** The rule under the column headings. */
	private static final Pattern RULE = Pattern.compile("^[\\s\\u00A0]*-{3,}[\\s\\u00A0]+-{3,}[\\s\\u00A0]*$");

	private ExcludedPortRanges() {
	}

	/**
	 * Reads the rows of one listing. Lines that are not rows (headings, the rule, the
	 * footnote, blank lines, garbage) are skipped, and so are rows that are not port
	 * ranges (a start above its end, port 0, a port above 65535).
	 * @param output what netsh printed
	 * @return the ranges, in order, each once
	 */
	public static List<ExcludedPortRange> parse(CharSequence output) {
		TreeSet<ExcludedPortRange> ranges = new TreeSet<>();
		if (output == null) {
			return List.of();
		}
		for (String line : output.toString().split("\\r?\\n|\\r")) {
			Matcher row = ROW.matcher(line);
			if (!row.matches()) {
				continue;
			}
			int start = Integer.parseInt(row.group(1));
			int end = Integer.parseInt(row.group(2));
			if (start >= 1 && end <= PortBlock.MAX_PORT && start <= end) {
				ranges.add(new ExcludedPortRange(start, end, row.group(3) != null));
			}
		}
		return List.copyOf(ranges);
	}

	/**
	 * @param output what netsh printed
	 * @return whether it has the table's rule line, that is, it is a listing (possibly
	 * with no rows) and not an error message
	 */
	public static boolean isListing(CharSequence output) {
		if (output == null) {
			return false;
		}
		for (String line : output.toString().split("\\r?\\n|\\r")) {
			if (RULE.matcher(line).matches()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param ranges excluded ranges
	 * @param block a block
	 * @return the ranges holding a port of the block
	 */
	public static List<ExcludedPortRange> overlapping(List<ExcludedPortRange> ranges, PortBlock block) {
		List<ExcludedPortRange> overlapping = new ArrayList<>();
		for (ExcludedPortRange range : ranges) {
			if (range.overlaps(block)) {
				overlapping.add(range);
			}
		}
		return overlapping;
	}

	/**
	 * What the excluded ranges keep of a block, for a message.
	 * @param ranges the excluded ranges
	 * @param protocol their protocol
	 * @param block a block
	 * @return a sentence naming the ranges the block overlaps and who holds each, or
	 * empty when it overlaps none
	 */
	public static Optional<String> describeOverlap(List<ExcludedPortRange> ranges, Protocol protocol, PortBlock block) {
		List<ExcludedPortRange> overlapping = overlapping(ranges, block);
		return overlapping.isEmpty() ? Optional.empty()
				: Optional.of(ExcludedRangeDoctor.describe(protocol, block, overlapping));
	}

	/**
	 * Where the excluded ranges of a protocol come from.
	 */
	@FunctionalInterface
	public interface Source {

		/**
		 * @param protocol TCP or UDP
		 * @return the ranges excluded for IPv4 and IPv6 together, in order; empty when
		 * they cannot be read
		 */
		List<ExcludedPortRange> read(Protocol protocol);

		/**
		 * @return a source that knows of no excluded range (off Windows)
		 */
		static Source none() {
			return (protocol) -> List.of();
		}

	}

}
