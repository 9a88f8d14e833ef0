package dev.portreservation.boot.autoconfigure;

import java.nio.file.Path;

import dev.portreservation.core.BackendSettings;
import dev.portreservation.core.PortReservations;

/**
 * Creates the backend named by {@code portreservation.backend} through the core factory,
 * with the backend settings taken from the properties
 * ({@code portreservation.linux.state-directory}).
 */
final class PortReservationBackends {

	private PortReservationBackends() {
	}

	static PortReservations create(PortReservationProperties properties) {
		return PortReservations.create(properties.getBackend().type(), settings(properties));
	}

	static BackendSettings settings(PortReservationProperties properties) {
		String stateDirectory = properties.getLinux().getStateDirectory();
		return BackendSettings.builder()
			.linuxStateDirectory((stateDirectory != null) ? Path.of(stateDirectory) : null)
			.build();
	}

}
