package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.InvalidPortReservationPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks every {@code portreservation.*} property the environment holds against the
 * properties this starter has (read from the configuration metadata on the class path, so
 * a property added anywhere in the project is known as soon as it is documented): an
 * unknown name fails with the nearest valid one, a number must be written in decimal (the
 * binder would read {@code 0x10} as 16), and a list or a map where a single value belongs
 * fails instead of being taken.
 * <p>
 * Why one class of this size: every check runs inside the same walk of the environment's
 * property sources and reads the same metadata (known names, their types, deprecations),
 * and each raises the same kind of failure naming the property, where it was set and the
 * fix; split apart, the walk and the metadata would be needed in each part.
 */
final class StrictPortReservationProperties {

	static final String PREFIX = "portreservation";

	/**
	 * Namespaces not checked: JVM system properties of the core library and its tests
	 * (such as {@code portreservation.linux.state-directory}), not Spring properties.
	 */
	static final List<String> FREE_NAMESPACES = List.of("portreservation.linux", "portreservation.windows",
			"portreservation.portable", "portreservation.test");

	/**
	 * Named ports: {@code ${portreservation.ports.<name>}} is answered by the starter, so
	 * a value set under this name in any source (which would win over the lent port) is
	 * refused.
	 */
	private static final ConfigurationPropertyName NAMED_PORTS = ConfigurationPropertyName.of("portreservation.ports");

	// Decimal without a leading zero: YAML 1.1 reads 010 as octal 8, a .properties file
	// as 10.
	private static final Pattern DECIMAL = Pattern.compile("\\s*[+-]?(0|[1-9]\\d*)\\s*");

	private static final Pattern LEADING_ZERO = Pattern.compile("\\s*[+-]?0\\d+\\s*");

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

	private final Map<String, String> known;

	// Deprecated names still work (they are in known) but are not offered: name to its
	// replacement, "" when the metadata names none.
	private final Map<String, String> deprecated;

	private StrictPortReservationProperties(Map<String, String> known, Map<String, String> deprecated) {
		this.known = known;
		this.deprecated = deprecated;
	}

	/**
	 * @param classLoader where to read the configuration metadata
	 * @return the checker for the properties described there
	 */
	static StrictPortReservationProperties fromMetadata(ClassLoader classLoader) {
		Map<String, String> known = new TreeMap<>();
		Map<String, String> deprecated = new TreeMap<>();
		for (String resource : List.of("META-INF/spring-configuration-metadata.json",
				"META-INF/additional-spring-configuration-metadata.json")) {
			for (String json : read(classLoader, resource)) {
				Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
				if (properties instanceof List<?> list) {
					for (Object entry : list) {
						if (entry instanceof Map<?, ?> property && property.get("name") instanceof String name
								&& name.startsWith(PREFIX + ".")) {
							Object type = property.get("type");
							known.putIfAbsent(name, (type != null) ? type.toString() : "java.lang.Object");
							if (property.get("deprecation") instanceof Map<?, ?> deprecation) {
								Object replacement = deprecation.get("replacement");
								deprecated.put(name, (replacement != null) ? replacement.toString() : "");
							}
							else if (Boolean.TRUE.equals(property.get("deprecated"))) {
								deprecated.putIfAbsent(name, "");
							}
						}
					}
				}
			}
		}
		return new StrictPortReservationProperties(known, deprecated);
	}

	/**
	 * @return the names of the properties this starter has, as documented
	 */
	List<String> knownNames() {
		return List.copyOf(this.known.keySet());
	}

	/**
	 * @return the names a user should write: the documented ones without the deprecated
	 * (which still work, but are not offered) and without the read-only named ports
	 */
	List<String> currentNames() {
		return this.known.keySet()
			.stream()
			.filter((name) -> !this.deprecated.containsKey(name) && !NAMED_PORTS.toString().equals(name))
			.toList();
	}

	/**
	 * @param environment the environment to check
	 * @throws InvalidPortReservationPropertyException for the first bad property
	 */
	void check(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				boolean systemProperties = isSystemProperties(source);
				iterable.stream()
					.filter(ROOT::isAncestorOf)
					.filter((name) -> !(systemProperties || environmentVariables)
							|| isSpringNamespace(name, environmentVariables) || NAMED_PORTS.isAncestorOf(name))
					.forEach((name) -> check(name, source.getConfigurationProperty(name), environmentVariables));
			}
		}
	}

	/**
	 * Checks only that no source sets a named port ({@code portreservation.ports.*}),
	 * which needs no metadata: run before the configuration is read, so a set value never
	 * takes the lent port's place.
	 * @param environment the environment to check
	 * @throws InvalidPortReservationPropertyException for the first named port set
	 */
	static void checkNamedPortsNotSet(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				iterable.stream().filter(NAMED_PORTS::isAncestorOf).findFirst().ifPresent((name) -> {
					throw namedPortSet(name, source.getConfigurationProperty(name), environmentVariables);
				});
			}
		}
	}

	private static InvalidPortReservationPropertyException namedPortSet(ConfigurationPropertyName name,
			ConfigurationProperty property, boolean environmentVariable) {
		String shown = environmentVariable ? environmentVariableName(name) : name.toString();
		String placeholder = "${" + name + "}";
		return new InvalidPortReservationPropertyException(shown, value(property), origin(property),
				"is set, but a named port is lent from the block: " + placeholder + " resolves to the port of the "
						+ "block lent to that name, and a value set here would take its place (a port outside the "
						+ "block, with no lease)",
				"Remove " + shown + " from the configuration. For a fixed port, set the component's own property "
						+ "to it instead of " + placeholder + ".");
	}

	private static Object value(ConfigurationProperty property) {
		Object value = (property != null) ? property.getValue() : null;
		if (value instanceof OriginTrackedValue tracked && !(value instanceof CharSequence)) {
			value = tracked.getValue();
		}
		return value;
	}

	private void check(ConfigurationPropertyName name, ConfigurationProperty property, boolean environmentVariable) {
		if (NAMED_PORTS.isAncestorOf(name)) {
			throw namedPortSet(name, property, environmentVariable);
		}
		Object value = value(property);
		String shown = environmentVariable ? environmentVariableName(name) : name.toString();
		String scalar = scalarAbove(name);
		if (scalar != null) {
			throw new InvalidPortReservationPropertyException(shown, value, origin(property),
					scalar + " takes a single value, but a " + (isIndexed(name) ? "list" : "map") + " was given",
					"Set " + scalar + " to one value, for example " + scalar + "=" + example(scalar) + ".");
		}
		String match = knownName(name, environmentVariable);
		if (match != null) {
			CharSequence text = (value instanceof CharSequence chars) ? chars : literal(property);
			if (isWholeNumber(this.known.get(match)) && text != null && !DECIMAL.matcher(text).matches()) {
				throw new InvalidPortReservationPropertyException(shown, value, origin(property),
						"must be a whole number written in decimal, was '" + text + "'"
								+ (LEADING_ZERO.matcher(text).matches()
										? " (a leading 0 is ambiguous: YAML reads it as octal, 010 = 8)" : ""),
						"Write " + match + " in decimal, for example " + match + "=" + example(match) + ".");
			}
			return;
		}
		if (isUnderMap(name)) {
			return;
		}
		String nearest = nearest(name.toString());
		String replacement = (nearest != null) ? this.deprecated.get(nearest) : null;
		String suggestion = (replacement == null || replacement.isEmpty()) ? nearest : replacement;
		throw new InvalidPortReservationPropertyException(shown, value, origin(property),
				"is not a property of this starter"
						+ ((suggestion != null) ? "; did you mean " + suggestion + "?" : ""),
				((suggestion != null) ? "Rename it to " + suggestion + ". " : "")
						+ "The portreservation properties are: " + String.join(", ", currentNames()) + ".");
	}

	private static boolean isSystemProperties(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof PropertySource<?> propertySource
				&& StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(propertySource.getName());
	}

	// JVM system properties and environment variables are shared with other software: the
	// core library's own
	// switches (-Dportreservation.linux.state-directory), launchers
	// (PORTRESERVATION_REAL_JAVA). There, only
	// names whose first element is one of this starter's (count, start-port, server,
	// health, ...) are checked.
	private boolean isSpringNamespace(ConfigurationPropertyName name, boolean environmentVariable) {
		if (name.getNumberOfElements() < 2) {
			return true;
		}
		String top = name.getElement(1, ConfigurationPropertyName.Form.UNIFORM);
		for (String known : this.known.keySet()) {
			String first = ConfigurationPropertyName.of(known).getElement(1, ConfigurationPropertyName.Form.DASHED);
			if (first.replace("-", "").equals(top) || (environmentVariable && first.startsWith(top + "-"))) {
				return true;
			}
		}
		return false;
	}

	// The single-valued property this name is an element of (portreservation.count[0],
	// portreservation.count.a).
	private String scalarAbove(ConfigurationPropertyName name) {
		for (Map.Entry<String, String> entry : this.known.entrySet()) {
			if (isMap(entry.getValue()) || isList(entry.getValue())) {
				continue;
			}
			ConfigurationPropertyName known = ConfigurationPropertyName.of(entry.getKey());
			if (known.isAncestorOf(name)) {
				return entry.getKey();
			}
		}
		return null;
	}

	private String knownName(ConfigurationPropertyName name, boolean environmentVariable) {
		for (String candidate : this.known.keySet()) {
			if (ConfigurationPropertyName.of(candidate).equals(name)) {
				return candidate;
			}
			// PORTRESERVATION_START_PORT reads as portreservation.start.port,
			// PORTRESERVATION_STARTPORT as
			// portreservation.startport: both set portreservation.start-port.
			if (environmentVariable && (candidate.replace('-', '.').equals(name.toString())
					|| candidate.replace("-", "").equals(name.toString()))) {
				return candidate;
			}
		}
		return null;
	}

	private boolean isUnderMap(ConfigurationPropertyName name) {
		if (FREE_NAMESPACES.stream().anyMatch((free) -> ConfigurationPropertyName.of(free).isAncestorOf(name))) {
			return true;
		}
		return this.known.entrySet()
			.stream()
			.anyMatch((entry) -> (isMap(entry.getValue()) || isList(entry.getValue()))
					&& ConfigurationPropertyName.of(entry.getKey()).isAncestorOf(name));
	}

	private String nearest(String name) {
		String nearest = null;
		int best = Integer.MAX_VALUE;
		for (String candidate : this.known.keySet()) {
			int distance = distance(name, candidate);
			if (distance < best) {
				best = distance;
				nearest = candidate;
			}
		}
		return nearest;
	}

	// Edit distance, ignoring the dashes relaxed binding ignores too.
	static int distance(String a, String b) {
		String left = a.replace("-", "").toLowerCase(Locale.ROOT);
		String right = b.replace("-", "").toLowerCase(Locale.ROOT);
		int[] previous = new int[right.length() + 1];
		int[] current = new int[right.length() + 1];
		for (int j = 0; j <= right.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= left.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= right.length(); j++) {
				int substitution = previous[j - 1] + ((left.charAt(i - 1) == right.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[right.length()];
	}

	private String example(String property) {
		String type = this.known.get(property);
		if (isWholeNumber(type)) {
			return property.endsWith("count") ? "8" : "0";
		}
		return "java.lang.Boolean".equals(type) ? "true" : "<value>";
	}

	/**
	 * The value as written in a YAML file: YAML reads {@code 0x10} as the number 16
	 * before any binding, so only the text tells. {@code null} when the value does not
	 * come from a text resource.
	 */
	private static String literal(ConfigurationProperty property) {
		Object value = (property != null) ? property.getValue() : null;
		if (value instanceof OriginTrackedValue tracked && !(value instanceof CharSequence)) {
			value = tracked.getValue();
		}
		Origin found = (property != null) ? property.getOrigin() : null;
		if (found instanceof PropertySourceOrigin wrapper) {
			found = wrapper.getOrigin();
		}
		if (!(value instanceof Number) || !(found instanceof TextResourceOrigin origin)
				|| origin.getLocation() == null) {
			return null;
		}
		try (InputStream in = origin.getResource().getInputStream()) {
			String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R", -1);
			int line = origin.getLocation().getLine();
			int column = origin.getLocation().getColumn();
			if (line < 0 || line >= lines.length || column < 0 || column > lines[line].length()) {
				return null;
			}
			String token = lines[line].substring(column).strip();
			int end = 0;
			while (end < token.length() && !Character.isWhitespace(token.charAt(end)) && token.charAt(end) != '#'
					&& token.charAt(end) != ',') {
				end++;
			}
			return (end > 0) ? token.substring(0, end) : null;
		}
		catch (IOException | RuntimeException ex) {
			// The resource cannot be read again: the bound number is all there is to
			// check.
			return null;
		}
	}

	private static boolean isIndexed(ConfigurationPropertyName name) {
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			if (name.isNumericIndex(i)) {
				return true;
			}
		}
		return false;
	}

	private static String environmentVariableName(ConfigurationPropertyName name) {
		return name.toString().toUpperCase(Locale.ROOT).replace('.', '_').replace("[", "_").replace("]", "");
	}

	private static Origin origin(ConfigurationProperty property) {
		return (property != null) ? property.getOrigin() : null;
	}

	private static boolean isWholeNumber(String type) {
		return type != null && List.of("java.lang.Integer", "int", "java.lang.Long", "long", "java.lang.Short", "short")
			.contains(type);
	}

	private static boolean isMap(String type) {
		return type != null && type.startsWith("java.util.Map");
	}

	private static boolean isList(String type) {
		return type != null && (type.startsWith("java.util.List") || type.startsWith("java.util.Set")
				|| type.startsWith("java.util.Collection") || type.endsWith("[]"));
	}

	private static List<String> read(ClassLoader classLoader, String resource) {
		try {
			List<String> contents = new ArrayList<>();
			Enumeration<URL> urls = classLoader.getResources(resource);
			while (urls.hasMoreElements()) {
				try (InputStream in = urls.nextElement().openStream()) {
					contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				}
			}
			return contents;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading the configuration metadata " + resource + " failed", ex);
		}
	}

}
