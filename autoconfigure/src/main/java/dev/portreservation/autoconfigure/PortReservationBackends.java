package dev.portreservation.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

import dev.portreservation.autoconfigure.PortReservationProperties.Backend;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;

/**
 * Creates the backend named by {@code portreservation.backend}. Backends are loaded by name, as in
 * {@link PortReservations#forCurrentPlatform()}, so a backend missing from the classpath is a clear
 * startup error rather than a linkage error.
 */
final class PortReservationBackends {

	private PortReservationBackends() {
	}

	static PortReservations create(Backend backend) {
		if (backend == Backend.AUTO) {
			return PortReservations.forCurrentPlatform();
		}
		String className = backend.getClassName();
		try {
			Class<?> type = Class.forName(className, true, PortReservationBackends.class.getClassLoader());
			return (PortReservations) type.getDeclaredConstructor().newInstance();
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof PortReservationException failure) {
				throw failure;
			}
			throw unavailable(backend, className, ex.getCause());
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			throw unavailable(backend, className, ex);
		}
	}

	private static PortReservationException unavailable(Backend backend, String className, Throwable cause) {
		return new PortReservationException(Reason.UNSUPPORTED,
				"Backend '" + backend.name().toLowerCase(Locale.ROOT) + "' (portreservation.backend) is not available: "
						+ className + " could not be created: " + cause,
				null, null, null, cause);
	}

}
