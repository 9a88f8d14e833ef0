package dev.portreservation.core;

import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.linux.LinuxPortHolders;
import dev.portreservation.linux.LinuxPortReservations;
import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.portable.SystemKeptPorts;
import dev.portreservation.windows.CachedExcludedPortRanges;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.WindowsPortHolders;
import dev.portreservation.windows.WindowsPortReservations;

/**
 * The one place that creates backends: by constructor, so settings flow in and a missing
 * backend is a compile error, not a class-name string. The only class of {@code core}
 * that knows the backends (the layering test allows exactly this one).
 */
final class PlatformBackends {

	private PlatformBackends() {
	}

	static PortReservations create(BackendType type, BackendSettings settings) {
		BackendSettings given = (settings != null) ? settings : BackendSettings.defaults();
		try {
			return switch (type) {
				case LINUX -> new LinuxPortReservations(given);
				case WINDOWS -> new WindowsPortReservations();
				case PORTABLE ->
					new PortablePortReservations(holders(BackendType.current()), keptPorts(BackendType.current()));
			};
		}
		catch (LinkageError ex) {
			// JNA missing from the class path, or a native library that does not load on
			// this system.
			throw PortReservationException
				.builder(Reason.UNSUPPORTED, "The " + type.backendName() + " backend cannot run here: " + ex)
				.operation(Operation.OPEN_BACKEND)
				.problem(Problem.BACKEND_UNAVAILABLE)
				.backend(type.backendName())
				.cause(ex)
				.build();
		}
	}

	/**
	 * @param type the platform
	 * @return the ports the platform keeps for itself, for the portable fallback:
	 * Windows' excluded ranges (read at most every 30 s), nothing elsewhere
	 */
	static SystemKeptPorts keptPorts(BackendType type) {
		if (type != BackendType.WINDOWS) {
			return SystemKeptPorts.none();
		}
		ExcludedPortRanges.Source ranges = CachedExcludedPortRanges.forThisSystem();
		return (protocol, block) -> ExcludedPortRanges.describeOverlap(ranges.read(protocol), protocol, block);
	}

	/**
	 * @param type the platform
	 * @return who-holds-the-port look-ups for the platform; none where it cannot tell or
	 * its native part does not load (naming the holder is a courtesy: failures still say
	 * what failed without it)
	 */
	static PortHolders holders(BackendType type) {
		try {
			return switch (type) {
				case LINUX -> new LinuxPortHolders();
				case WINDOWS -> new WindowsPortHolders();
				case PORTABLE -> PortHolders.none();
			};
		}
		catch (LinkageError | RuntimeException ex) {
			return PortHolders.none();
		}
	}

}
