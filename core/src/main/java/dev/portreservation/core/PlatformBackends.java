package dev.portreservation.core;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

import dev.portreservation.core.PortReservationException.Reason;

/**
 * Chooses the backend for an operating system. Backends are loaded by name so that {@code core} does not
 * depend on them at compile time (they depend on {@code core}).
 */
final class PlatformBackends {

	static final String WINDOWS = "dev.portreservation.windows.WindowsPortReservations";

	static final String LINUX = "dev.portreservation.linux.LinuxPortReservations";

	static final String PORTABLE = "dev.portreservation.portable.PortablePortReservations";

	private PlatformBackends() {
	}

	static PortReservations forOs(String osName) {
		return instantiate(backendClassFor(osName));
	}

	static String backendClassFor(String osName) {
		String os = osName.toLowerCase(Locale.ROOT);
		if (os.startsWith("windows")) {
			return WINDOWS;
		}
		if (os.startsWith("linux")) {
			return LINUX;
		}
		return PORTABLE;
	}

	private static PortReservations instantiate(String className) {
		try {
			Class<?> type = Class.forName(className, true, PlatformBackends.class.getClassLoader());
			return (PortReservations) type.getDeclaredConstructor().newInstance();
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof PortReservationException failure) {
				throw failure;
			}
			throw new PortReservationException(Reason.UNSUPPORTED, "Backend " + className + " failed to start: "
					+ cause, null, null, null, cause);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			throw new PortReservationException(Reason.UNSUPPORTED, "Backend " + className + " is not available: "
					+ ex, null, null, null, ex);
		}
	}

}
