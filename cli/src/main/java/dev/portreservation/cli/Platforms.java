package dev.portreservation.cli;

import java.util.Locale;
import java.util.Optional;

import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservations;
import dev.portreservation.linux.LinuxInventory;
import dev.portreservation.linux.LinuxPortReservations;

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

	/**
	 * @return the Linux view of reserved ports and records, empty on other systems
	 */
	static Optional<LinuxInventory> inventory() {
		return isLinux() ? Optional.of(new LinuxInventory(new LinuxPortReservations())) : Optional.empty();
	}

}
