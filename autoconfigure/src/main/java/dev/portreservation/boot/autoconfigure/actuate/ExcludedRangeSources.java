package dev.portreservation.boot.autoconfigure.actuate;

import dev.portreservation.boot.windows.ExcludedRangeOverlaps;
import dev.portreservation.windows.CachedExcludedPortRanges;
import dev.portreservation.windows.ExcludedPortRanges;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Where health and the endpoint read Windows' excluded port ranges: an
 * {@link ExcludedPortRanges.Source} bean when the application has one, else the system's
 * ({@link CachedExcludedPortRanges#forThisSystem()}: netsh at most once every 30 seconds
 * per protocol on Windows, nothing at all elsewhere).
 */
final class ExcludedRangeSources {

	private ExcludedRangeSources() {
	}

	static ExcludedRangeOverlaps of(ObjectProvider<ExcludedPortRanges.Source> source) {
		return new ExcludedRangeOverlaps(source.getIfAvailable(CachedExcludedPortRanges::forThisSystem));
	}

}
