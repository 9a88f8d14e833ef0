package dev.portreservation.windows;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import com.sun.jna.Platform;

import dev.portreservation.core.Protocol;

/**
 * The excluded port ranges as read at most once per refresh interval and protocol. A read
 * of {@link NetshExcludedPortRanges} starts two netsh processes (IPv4 and IPv6), which is
 * fine for a failure or a start, not for a health check polled every few seconds or a
 * start that probes many single ports. Windows changes the ranges at boot and when
 * Hyper-V / WinNAT / WSL / Docker start, so a view some seconds old is as good as a fresh
 * one for advice and for health, and each read stays bounded by netsh's own timeout. A
 * read is a query: it changes nothing.
 */
public final class CachedExcludedPortRanges implements ExcludedPortRanges.Source {

	/** How long a reading of the system's ranges is used before netsh runs again. */
	public static final Duration SYSTEM_REFRESH = Duration.ofSeconds(30);

	private static final ExcludedPortRanges.Source NONE = ExcludedPortRanges.Source.none();

	private static volatile ExcludedPortRanges.Source system;

	private final ExcludedPortRanges.Source source;

	private final long refreshNanos;

	private final LongSupplier nanoTime;

	private final Map<Protocol, Reading> readings = new EnumMap<>(Protocol.class);

	/**
	 * @param source where the ranges come from
	 * @param refresh how long a reading is used
	 */
	public CachedExcludedPortRanges(ExcludedPortRanges.Source source, Duration refresh) {
		this(source, refresh, System::nanoTime);
	}

	CachedExcludedPortRanges(ExcludedPortRanges.Source source, Duration refresh, LongSupplier nanoTime) {
		this.source = Objects.requireNonNull(source, "source");
		if (refresh.isNegative()) {
			throw new IllegalArgumentException("The refresh interval must not be negative, was " + refresh);
		}
		this.refreshNanos = refresh.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * @return on Windows, the ranges netsh lists, read at most once every
	 * {@link #SYSTEM_REFRESH} per protocol and shared by everything in this JVM; on other
	 * systems a source that knows of no range and runs nothing
	 */
	public static ExcludedPortRanges.Source forThisSystem() {
		ExcludedPortRanges.Source shared = system;
		if (shared == null) {
			synchronized (CachedExcludedPortRanges.class) {
				shared = system;
				if (shared == null) {
					shared = forSystem(Platform.isWindows(), null);
					system = shared;
				}
			}
		}
		return shared;
	}

	/**
	 * @param windows whether the JVM runs on Windows
	 * @param runner what runs netsh, {@code null} for the real one
	 * @return the system's source
	 */
	static ExcludedPortRanges.Source forSystem(boolean windows, NetshExcludedPortRanges.Runner runner) {
		if (!windows) {
			return NONE;
		}
		NetshExcludedPortRanges netsh = (runner != null) ? new NetshExcludedPortRanges(runner)
				: new NetshExcludedPortRanges();
		return new CachedExcludedPortRanges(netsh, SYSTEM_REFRESH);
	}

	@Override
	public List<ExcludedPortRange> read(Protocol protocol) {
		// One reader per protocol at a time: callers polling together wait for one
		// netsh run instead of starting one each.
		synchronized (this.readings) {
			long now = this.nanoTime.getAsLong();
			Reading reading = this.readings.get(protocol);
			if (reading == null || now - reading.at() >= this.refreshNanos) {
				reading = new Reading(List.copyOf(this.source.read(protocol)), now);
				this.readings.put(protocol, reading);
			}
			return reading.ranges();
		}
	}

	private record Reading(List<ExcludedPortRange> ranges, long at) {
	}

}
