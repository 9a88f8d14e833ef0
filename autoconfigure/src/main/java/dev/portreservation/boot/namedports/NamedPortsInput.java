package dev.portreservation.boot.namedports;

import dev.portreservation.boot.InvalidPortReservationPropertyException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Where a named port cannot be used: in a property that decides the block (a named port
 * is lent from the block, so the block cannot depend on one; it used to recurse until
 * {@code StackOverflowError}), and in a server's port (the server binds its port through
 * the block itself, so a lent port would be taken twice). Read as written, before any
 * placeholder is resolved.
 */
public final class NamedPortsInput {

	/** Properties that decide which block is reserved. */
	static final List<String> PLACING = List.of("portreservation.enabled", "portreservation.backend",
			"portreservation.kind", "portreservation.protocol", "portreservation.start-port", "portreservation.count",
			"portreservation.delete-on-shutdown", "portreservation.server.enabled", "server.port",
			"spring.main.web-application-type");

	/** Ports of servers that bind through the block themselves. */
	static final List<String> SERVER_PORTS = List.of("management.server.port", "spring.rsocket.server.port",
			"spring.grpc.server.port");

	private static final Pattern NAMED_PORT = Pattern
		.compile("\\$\\{\\s*(" + Pattern.quote(NamedPorts.PREFIX) + "[^}:]+)");

	private NamedPortsInput() {
	}

	/**
	 * @param environment the environment
	 * @throws InvalidPortReservationPropertyException naming the property and the named
	 * port it refers to
	 */
	public static void check(Environment environment) {
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
		for (String property : PLACING) {
			check(sources, property, true);
		}
		for (String property : SERVER_PORTS) {
			check(sources, property, false);
		}
	}

	private static void check(Iterable<ConfigurationPropertySource> sources, String property, boolean placing) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found == null || found.getValue() == null) {
				continue;
			}
			Matcher matcher = NAMED_PORT.matcher(found.getValue().toString());
			if (matcher.find()) {
				throw refused(property, found, matcher.group(1).strip(), placing);
			}
			// The value that counts is the first one found: a lower source cannot matter.
			return;
		}
	}

	private static InvalidPortReservationPropertyException refused(String property, ConfigurationProperty found,
			String namedPort, boolean placing) {
		String problem = "refers to the named port " + namedPort + ", but named ports are lent from the block "
				+ (placing ? "that " + property + " decides, so it cannot depend on one"
						: "and this server binds its own port through the block, so the port would be taken twice");
		String action = "Set " + property + " to a value of its own"
				+ (isPort(property) ? " (0 takes any free port of the block)" : "") + ", and keep ${" + namedPort
				+ "} for components that take a port number and bind it themselves.";
		return new InvalidPortReservationPropertyException(property, found.getValue(), found.getOrigin(), problem,
				action);
	}

	private static boolean isPort(String property) {
		return property.endsWith(".port");
	}

	/**
	 * Thrown when a named port is asked for while the block is being reserved: a property
	 * that decides the block refers to one through another property.
	 * @param name the named port
	 * @return the failure
	 */
	static InvalidPortReservationPropertyException resolvedWhileReserving(String name) {
		return new InvalidPortReservationPropertyException(NamedPorts.PREFIX + name,
				"${" + NamedPorts.PREFIX + name + "}", null,
				"was resolved while the block it is lent from was being reserved: one of " + String.join(", ", PLACING)
						+ " refers to it (through another property)",
				"Give the properties that decide the block values of their own; use ${" + NamedPorts.PREFIX + name
						+ "} only for components that take a port number and bind it themselves.");
	}

}
