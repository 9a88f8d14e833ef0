package dev.portreservation.boot.autoconfigure;

import org.springframework.core.env.PropertySource;

/**
 * Resolves {@code portreservation.ports.<name>} to the port lent to that name. Not
 * enumerable on purpose: it answers only the names asked for, so nothing lends a port by
 * listing properties.
 */
final class NamedPortsPropertySource extends PropertySource<NamedPorts> {

	NamedPortsPropertySource(NamedPorts namedPorts) {
		super(NamedPorts.NAME, namedPorts);
	}

	@Override
	public Object getProperty(String name) {
		if (!name.startsWith(NamedPorts.PREFIX) || name.length() == NamedPorts.PREFIX.length()) {
			return null;
		}
		return getSource().port(name.substring(NamedPorts.PREFIX.length()));
	}

}
