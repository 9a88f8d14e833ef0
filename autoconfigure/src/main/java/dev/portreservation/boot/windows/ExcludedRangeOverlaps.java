package dev.portreservation.boot.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.portreservation.core.BackendType;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.windows.CachedExcludedPortRanges;
import dev.portreservation.windows.ExcludedPortRange;
import dev.portreservation.windows.ExcludedPortRanges;

/**
 * The ranges Windows excludes that overlap a reserved block, other than the block's own
 * row: a block of the windows backend is itself a reservation of the port pool, which
 * netsh lists as a row of exactly the block (with {@code *} when persistent), and no
 * other reservation can overlap it while it is held. Whatever else overlaps belongs to
 * someone else: on the portable fallback, whose blocks the system does not know, a range
 * Hyper-V / WinNAT / WSL / Docker took after the block was reserved. A query: it reads
 * the ranges through a source that bounds how often netsh runs
 * ({@link CachedExcludedPortRanges}) and changes nothing.
 */
public final class ExcludedRangeOverlaps {

	private static final ExcludedRangeOverlaps NONE = new ExcludedRangeOverlaps(ExcludedPortRanges.Source.none());

	private final ExcludedPortRanges.Source source;

	/**
	 * @param source where the ranges are read, {@link CachedExcludedPortRanges} for the
	 * system's
	 */
	public ExcludedRangeOverlaps(ExcludedPortRanges.Source source) {
		this.source = Objects.requireNonNull(source, "source");
	}

	/**
	 * @return overlaps that are always empty (off Windows)
	 */
	public static ExcludedRangeOverlaps none() {
		return NONE;
	}

	/**
	 * @param reservation a reservation
	 * @return the excluded ranges, IPv4 and IPv6, that hold a port of its block and are
	 * not the block itself, in order; empty off Windows
	 */
	public List<ExcludedPortRange> of(PortReservation reservation) {
		PortBlock block = reservation.block();
		boolean ownRowListed = BackendType.WINDOWS.backendName().equals(reservation.backend());
		List<ExcludedPortRange> overlapping = new ArrayList<>();
		for (ExcludedPortRange range : ExcludedPortRanges.overlapping(this.source.read(reservation.protocol()),
				block)) {
			if (!(ownRowListed && range.start() == block.startPort() && range.end() == block.endPort())) {
				overlapping.add(range);
			}
		}
		return overlapping;
	}

	/**
	 * @param range an excluded range
	 * @return the range as a detail: {@code range}, {@code start}, {@code end},
	 * {@code administered} and {@code holder}
	 */
	public static Map<String, Object> describe(ExcludedPortRange range) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("range", range.start() + "-" + range.end());
		described.put("start", range.start());
		described.put("end", range.end());
		described.put("administered", range.administered());
		described.put("holder", range.holder());
		return described;
	}

	/**
	 * @param block the block
	 * @param overlapping ranges it overlaps, at least one
	 * @return what the overlap means for binds, for a warning
	 */
	public static String warning(PortBlock block, List<ExcludedPortRange> overlapping) {
		List<String> system = new ArrayList<>();
		List<String> administered = new ArrayList<>();
		for (ExcludedPortRange range : overlapping) {
			String ports = range.start() + "-" + range.end();
			(range.administered() ? administered : system).add(ports);
		}
		StringBuilder warning = new StringBuilder();
		if (!system.isEmpty()) {
			warning.append("Ports of block ")
				.append(block)
				.append(" lie in ")
				.append(ranges(system))
				.append(" Windows excludes, held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot: a ")
				.append("new bind there fails (WSAEACCES) for this process too, while ports already bound keep ")
				.append("working");
		}
		if (!administered.isEmpty()) {
			warning.append(warning.isEmpty() ? "" : "; ")
				.append("Ports of block ")
				.append(block)
				.append(" lie in ")
				.append(ranges(administered).replaceFirst("^the ", "the administered "))
				.append(" (a persistent reservation or an administrator's exclusion, not this block): another ")
				.append("program may own those ports");
		}
		return warning.append(". 'portreservation excluded' lists the ranges; give the block a start clear of them")
			.toString();
	}

	private static String ranges(List<String> ranges) {
		return ((ranges.size() == 1) ? "the range " : "the ranges ") + String.join(", ", ranges);
	}

}
