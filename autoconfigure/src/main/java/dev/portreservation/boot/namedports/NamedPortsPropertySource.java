package dev.portreservation.boot.namedports;

import java.util.regex.Pattern;

import org.springframework.core.env.PropertySource;

/**
 * Resolves {@code portreservation.ports.<name>} to the port lent to that name. Not
 * enumerable on purpose: it answers only the names asked for, so nothing lends a port by
 * listing properties.
 * <p>
 * Only a placeholder, {@code ${portreservation.ports.<name>}}, lends a new name (and only
 * while the context starts, see {@link NamedPorts}): a plain look-up of the property
 * ({@code Environment#getProperty}, the env endpoint, code probing names) answers the
 * ports of names lent already and nothing else. Spring resolves every placeholder
 * (property values, {@code @Value}, {@code @ConfigurationProperties}) through its
 * {@code PlaceholderParser}, so a look-up made from inside it is a placeholder's.
 */
public final class NamedPortsPropertySource extends PropertySource<NamedPorts> {

	private static final String PLACEHOLDER_PARSER = "org.springframework.util.PlaceholderParser";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(\\[[0-9]+\\](\\.(first|last))?)?");

	private static final StackWalker STACK = StackWalker.getInstance();

	/**
	 * @param namedPorts the named ports it answers
	 */
	public NamedPortsPropertySource(NamedPorts namedPorts) {
		super(NamedPorts.NAME, namedPorts);
	}

	@Override
	public Object getProperty(String name) {
		if (!name.startsWith(NamedPorts.PREFIX) || name.length() == NamedPorts.PREFIX.length()) {
			return null;
		}
		String key = name.substring(NamedPorts.PREFIX.length());
		if (!NAME.matcher(key).matches()) {
			// Not a port name: for example "web:8080", which Spring's parser asks for
			// before it splits off the default value.
			return null;
		}
		NamedPorts namedPorts = getSource();
		return namedPorts.port(key, namedPorts.isLending() && resolvingPlaceholder());
	}

	private static boolean resolvingPlaceholder() {
		return STACK.walk((frames) -> frames.anyMatch((frame) -> frame.getClassName().startsWith(PLACEHOLDER_PARSER)));
	}

}
