package dev.portreservation.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings a backend takes when it is created by
 * {@link PortReservations#create(BackendType, BackendSettings)}. Immutable; a setting
 * left unset means the backend's own default.
 */
public final class BackendSettings {

	private static final BackendSettings DEFAULTS = new Builder().build();

	private final Path linuxStateDirectory;

	private BackendSettings(Builder builder) {
		this.linuxStateDirectory = builder.linuxStateDirectory;
	}

	/**
	 * @return settings that leave everything to the backends' defaults
	 */
	public static BackendSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Where the Linux backend keeps its persistent block records. Unset: the system
	 * property {@code portreservation.linux.state-directory}, else
	 * {@code /run/portreservation}.
	 * @return the directory, when set
	 */
	public Optional<Path> linuxStateDirectory() {
		return Optional.ofNullable(this.linuxStateDirectory);
	}

	@Override
	public String toString() {
		return "BackendSettings[linuxStateDirectory=" + this.linuxStateDirectory + "]";
	}

	/**
	 * Builds {@link BackendSettings}.
	 */
	public static final class Builder {

		private Path linuxStateDirectory;

		private Builder() {
		}

		/**
		 * @param directory an absolute path, or {@code null} for the default
		 * @return this builder
		 * @throws IllegalArgumentException when the path is relative (it would depend on
		 * the working directory, and processes sharing blocks must agree on it)
		 */
		public Builder linuxStateDirectory(Path directory) {
			if (directory != null && !directory.isAbsolute()) {
				throw new IllegalArgumentException(
						"The Linux state directory must be an absolute path, was '" + directory + "'");
			}
			this.linuxStateDirectory = directory;
			return this;
		}

		/**
		 * @return the settings
		 */
		public BackendSettings build() {
			return new BackendSettings(this);
		}

	}

}
