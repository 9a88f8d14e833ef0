package dev.portreservation.boot;

import java.util.Locale;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a leased port: the one place that names the owner labels this starter binds
 * with (the servers' and connectors') and reads back (the meters, the health indicator,
 * the endpoint). Reduced to a handful of values so that it can tag a meter: the owner
 * labels of {@link PortLease} are free text chosen by user code, a meter tag must not be.
 */
public enum LeaseOwner {

	/** The embedded web server's main connector (owner label {@code "server"}). */
	SERVER("server"),

	/** The separate management server (owner label {@code "management"}). */
	MANAGEMENT("management"),

	/**
	 * An additional connector of the embedded server (owner labels
	 * {@code "connector-<n>"}, see {@link #connector(int)}).
	 */
	CONNECTOR(LeaseOwner.CONNECTOR_PREFIX),

	/**
	 * User code: any other label, including the default
	 * {@value PortReservation#DEFAULT_OWNER}.
	 */
	APPLICATION(PortReservation.DEFAULT_OWNER);

	private static final String CONNECTOR_PREFIX = "connector-";

	private final String label;

	LeaseOwner(String label) {
		this.label = label;
	}

	/**
	 * @return the owner label this starter binds with, such as {@code "server"} (for
	 * {@link #CONNECTOR} the prefix of the numbered labels)
	 */
	public String label() {
		return this.label;
	}

	/**
	 * @param number the connector's number, from 1
	 * @return the owner label of an additional connector, such as {@code "connector-1"}
	 */
	public static String connector(int number) {
		return CONNECTOR_PREFIX + number;
	}

	/**
	 * @param label an owner label from a {@link PortLease} or a failed bind
	 * @return the kind of owner it names
	 */
	public static LeaseOwner of(@Nullable String label) {
		if (label == null) {
			return APPLICATION;
		}
		if (SERVER.label.equals(label)) {
			return SERVER;
		}
		if (MANAGEMENT.label.equals(label)) {
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
