package dev.portreservation.boot.metrics;

import java.util.Locale;

import dev.portreservation.core.PortLease;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a leased port, reduced to a handful of values so that it can tag a meter: the
 * owner labels of {@link PortLease} are free text chosen by user code, a meter tag must
 * not be.
 */
public enum LeaseOwner {

	/** The embedded web server's main connector (owner label {@code "server"}). */
	SERVER,

	/** The separate management server (owner label {@code "management"}). */
	MANAGEMENT,

	/**
	 * An additional connector of the embedded server (owner labels
	 * {@code "connector-<n>"}).
	 */
	CONNECTOR,

	/** User code: any other label, including the default {@code "application"}. */
	APPLICATION;

	private static final String CONNECTOR_PREFIX = "connector-";

	/**
	 * @param label an owner label from a {@link PortLease} or a failed bind
	 * @return the kind of owner it names
	 */
	public static LeaseOwner of(@Nullable String label) {
		if (label == null) {
			return APPLICATION;
		}
		if ("server".equals(label)) {
			return SERVER;
		}
		if ("management".equals(label)) {
			return MANAGEMENT;
		}
		if (label.startsWith(CONNECTOR_PREFIX)) {
			return CONNECTOR;
		}
		return APPLICATION;
	}

	/**
	 * @return the value used as a meter tag and in the endpoint, such as {@code "server"}
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
