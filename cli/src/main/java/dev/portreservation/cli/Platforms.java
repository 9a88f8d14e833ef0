package dev.portreservation.cli;

import java.util.Locale;
import java.util.Optional;

import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservations;
import dev.portreservation.linux.LinuxInventory;
import dev.portreservation.linux.LinuxPortReservations;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.NetshExcludedPortRanges;

/**
 * The backend, holder look-up and (on Linux) inventory for the operating system the CLI
 * runs on: the same classes the library uses, so the CLI applies the same rules.
 */
final class Platforms {

	private Platforms() {
	}

	static boolean isWindows() {
		return os().startsWith("windows");
	}

	static boolean isLinux() {
		return os().startsWith("linux");
	}

	private static String os() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
	}

	static PortReservations backend() {
		return PortReservations.forCurrentPlatform();
	}

	static PortHolders holders() {
		return PortHolders.forCurrentPlatform();
	}

	/** Set by tests only: the excluded ranges to report in place of netsh's. */
	static volatile ExcludedPortRanges.Source excludedForTests;

	/**
	 * @return where Windows' excluded port ranges are read (netsh), empty on other
	 * systems
	 */
	static Optional<ExcludedPortRanges.Source> excludedRanges() {
		if (excludedForTests != null) {
			return Optional.of(excludedForTests);
		}
		return isWindows() ? Optional.of(new NetshExcludedPortRanges()) : Optional.empty();
	}

	/**
	 * @return the Linux view of reserved ports and records, empty on other systems
	 */
	static Optional<LinuxInventory> inventory() {
		return isLinux() ? Optional.of(new LinuxInventory(new LinuxPortReservations())) : Optional.empty();
	}

}
