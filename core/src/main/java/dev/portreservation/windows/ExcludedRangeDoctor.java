package dev.portreservation.windows;

import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * Explains a refusal that Windows' excluded port ranges cause, which nothing else names:
 * {@code netstat} shows no socket there, and the bind or reservation fails with
 * {@code WSAEACCES} or {@code WSAEADDRINUSE}. Names each range the block overlaps,
 * whether it is administered, and the two ways out: a start port clear of every range and
 * free right now, or a persistent block created once from an elevated shell, which the
 * system then leaves alone.
 */
final class ExcludedRangeDoctor {

	/** Where a suggested block may start: above the well-known ports. */
	static final int LOWEST_SUGGESTED_PORT = 1024;

	private final ExcludedPortRanges.Source source;

	private final PortHolders holders;

	ExcludedRangeDoctor(ExcludedPortRanges.Source source, PortHolders holders) {
		this.source = source;
		this.holders = holders;
	}

	/**
	 * @param protocol the protocol
	 * @return the excluded ranges of the protocol, IPv4 and IPv6
	 */
	List<ExcludedPortRange> ranges(Protocol protocol) {
		return this.source.read(protocol);
	}

	/**
	 * @param failure a failure of an operation on {@code block}
	 * @param protocol the protocol
	 * @param block the block, or {@code null} (one the system was to choose)
	 * @return the failure, with the excluded ranges the block overlaps named and
	 * {@link Problem#EXCLUDED_PORT_RANGE} for a conflict; unchanged when it overlaps none
	 * or the failure is neither a conflict nor access denied
	 */
	PortReservationException explain(PortReservationException failure, Protocol protocol, PortBlock block) {
		if (block == null || (failure.getReason() != Reason.CONFLICT && failure.getReason() != Reason.ACCESS_DENIED)) {
			return failure;
		}
		List<ExcludedPortRange> ranges = ranges(protocol);
		List<ExcludedPortRange> overlapping = ExcludedPortRanges.overlapping(ranges, block);
		if (overlapping.isEmpty()) {
			return failure;
		}
		String message = failure.getMessage() + ". " + describe(protocol, block, overlapping)
				+ fix(protocol, block, ranges);
		PortReservationException.Builder explained = PortReservationException.builder(failure.getReason(), message)
			.from(failure)
			.cause(failure.getCause());
		if (failure.getReason() == Reason.CONFLICT) {
			explained.problem(Problem.EXCLUDED_PORT_RANGE);
		}
		return explained.build();
	}

	/**
	 * @param protocol the protocol
	 * @param block a block
	 * @param overlapping the excluded ranges it overlaps, at least one
	 * @return what the ranges are, for a message
	 */
	static String describe(Protocol protocol, PortBlock block, List<ExcludedPortRange> overlapping) {
		return "Windows excludes " + ((overlapping.size() == 1) ? "a range" : "ranges") + " of " + protocol
				+ " ports that the block " + block + " overlaps: "
				+ overlapping.stream()
					.map((range) -> range + " (" + range.holder() + ")")
					.collect(Collectors.joining("; "))
				+ ". netstat shows no socket there; 'netsh interface ipv4 show excludedportrange protocol="
				+ protocol.name().toLowerCase(java.util.Locale.ROOT) + "' lists the ranges";
	}

	private String fix(Protocol protocol, PortBlock block, List<ExcludedPortRange> ranges) {
		OptionalInt start = freeStart(protocol, block.count(), block.startPort(), ranges);
		String udp = (protocol == Protocol.UDP) ? " --udp" : "";
		return ". Fix: "
				+ (start.isPresent()
						? "start the block at port " + start.getAsInt() + " (the block "
								+ new PortBlock(start.getAsInt(), block.count())
								+ " lies outside every excluded range and no socket has a port of it right now), or "
						: "")
				+ "create the block once as a persistent reservation from an elevated shell ('portreservation create "
				+ block.startPort() + " " + block.count() + udp
				+ "' while the ports are not excluded, for example right after a reboot before Hyper-V / WinNAT "
				+ "start, or after 'net stop winnat'), then use it as a persistent block: the system leaves a "
				+ "persistent reservation alone";
	}

	/**
	 * The first start port, from {@code from} up and then from 1024 up, of a block of
	 * {@code count} ports outside every excluded range in which no socket has a port now.
	 * @param protocol the protocol
	 * @param count the block's size
	 * @param from where to look first
	 * @param ranges the excluded ranges
	 * @return the start port, or empty when there is none
	 */
	OptionalInt freeStart(Protocol protocol, int count, int from, List<ExcludedPortRange> ranges) {
		BitSet unusable = new BitSet(PortBlock.MAX_PORT + 1);
		for (ExcludedPortRange range : ranges) {
			unusable.set(range.start(), range.end() + 1);
		}
		int lowest = LOWEST_SUGGESTED_PORT;
		for (PortHolder holder : this.holders.find(protocol, new PortBlock(lowest, PortBlock.MAX_PORT - lowest + 1))) {
			unusable.set(holder.port());
		}
		int first = Math.max(from, lowest);
		OptionalInt above = firstRun(unusable, count, first, PortBlock.MAX_PORT);
		return above.isPresent() ? above
				: firstRun(unusable, count, lowest, Math.min(PortBlock.MAX_PORT, first + count - 2));
	}

	private static OptionalInt firstRun(BitSet unusable, int count, int low, int high) {
		int run = 0;
		for (int port = low; port <= high; port++) {
			run = unusable.get(port) ? 0 : run + 1;
			if (run == count) {
				return OptionalInt.of(port - count + 1);
			}
		}
		return OptionalInt.empty();
	}

}
