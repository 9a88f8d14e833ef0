package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.InvalidPortReservationPropertyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 12.4: strict input. Unknown {@code portreservation.*} names, numbers not written
 * in decimal, and lists or maps where one value belongs fail startup, naming the property
 * (and, for a typo, the nearest valid one), from every kind of property source:
 * properties, YAML, environment variables.
 */
class StrictPortReservationPropertiesTests {

	private final StrictPortReservationProperties strict = StrictPortReservationProperties
		.fromMetadata(getClass().getClassLoader());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PortReservationSwitchesAutoConfiguration.class,
				PortReservationAutoConfiguration.class))
		.withPropertyValues("portreservation.backend=portable");

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "portreservation.cout, portreservation.count",
			"portreservation.start-prot, portreservation.start-port",
			"portreservation.enabeld, portreservation.enabled", "portreservation.protocoll, portreservation.protocol",
			"portreservation.server.enable, portreservation.server.enabled",
			// A deprecated name is not offered: its replacement is.
			"portreservation.helth.down-when-exhausted, management.health.portreservation.down-when-exhausted",
			"portreservation.delete-on-shutdwon, portreservation.delete-on-shutdown" })
	void unknownNameFailsStartupNamingItAndTheNearestValidOne(String typo, String nearest) {
		this.runner.withPropertyValues(typo + "=1").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalysisAssert.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Invalid configuration property '" + typo + "'")
				.contains("did you mean " + nearest + "?");
			assertThat(analysis.getAction()).startsWith("Rename it to " + nearest + ".");
		});
	}

	@Test
	void everyDocumentedPropertyIsAcceptedAsDocumentedAndInCamelCase() {
		List<String> names = documentedNames();
		assertThat(names).contains("portreservation.count", "portreservation.start-port",
				"portreservation.server.enabled", "portreservation.health.free-ports-warning-threshold");
		for (String name : names) {
			assertThatNoException().as(name).isThrownBy(() -> check(Map.of(name, "1")));
			assertThatNoException().as(camelCase(name)).isThrownBy(() -> check(Map.of(camelCase(name), "1")));
		}
	}

	@Test
	void everyDocumentedPropertyIsAcceptedAsAnEnvironmentVariable() {
		for (String name : documentedNames()) {
			String underscores = name.toUpperCase().replace('.', '_').replace('-', '_');
			String squashed = name.toUpperCase().replace('.', '_').replace("-", "");
			assertThatNoException().as(underscores).isThrownBy(() -> checkEnvironment(Map.of(underscores, "1")));
			assertThatNoException().as(squashed).isThrownBy(() -> checkEnvironment(Map.of(squashed, "1")));
		}
	}

	@Test
	void unknownEnvironmentVariableIsNamedAsWritten() {
		InvalidPortReservationPropertyException failure = catchThrowableOfType(
				InvalidPortReservationPropertyException.class,
				() -> checkEnvironment(Map.of("PORTRESERVATION_SERVER_ENABLE", "true")));
		assertThat(failure.getProperty()).isEqualTo("PORTRESERVATION_SERVER_ENABLE");
		assertThat(failure.getProblem()).contains("did you mean portreservation.server.enabled?");
		InvalidPortReservationPropertyException list = catchThrowableOfType(
				InvalidPortReservationPropertyException.class,
				() -> checkEnvironment(Map.of("PORTRESERVATION_COUNT_0", "4")));
		assertThat(list.getProblem()).isEqualTo("portreservation.count takes a single value, but a list was given");
	}

	@Test
	void environmentVariablesOfOtherSoftwareWithThePrefixAreNotSpringProperties() {
		// The project's own netns launcher sets PORTRESERVATION_REAL_JAVA.
		assertThatNoException().isThrownBy(() -> checkEnvironment(
				Map.of("PORTRESERVATION_REAL_JAVA", "/usr/bin/java", "PORTRESERVATION_HOME", "/opt/x")));
	}

	@Test
	void coreLibrarySystemPropertiesAreNotSpringProperties() {
		assertThatNoException()
			.isThrownBy(() -> check(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
					Map.of("portreservation.linux.state-directory", "/var/lib/x", "portreservation.test.netns", "1",
							"portreservation.cli.home", "/x"))));
		InvalidPortReservationPropertyException typo = catchThrowableOfType(
				InvalidPortReservationPropertyException.class,
				() -> check(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
						Map.of("portreservation.server.enable", "true"))));
		assertThat(typo.getProblem()).contains("did you mean portreservation.server.enabled?");
	}

	@ParameterizedTest(name = "count={0}")
	@ValueSource(strings = { "0x10", "0X10", "#10", "1e3", "16.0", "16L", "sixteen" })
	void numberNotWrittenInDecimalFailsNamingTheProperty(String value) {
		this.runner.withPropertyValues("portreservation.count=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalysisAssert.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("portreservation.count")
				.contains("must be a whole number written in decimal");
			assertThat(analysis.getAction()).contains("portreservation.count=8");
		});
	}

	@ParameterizedTest(name = "start-port={0}")
	@ValueSource(strings = { "0", "40000", "+40000", " 40000 ", "-1" })
	void decimalNumbersPassTheShapeCheck(String value) {
		assertThatNoException().isThrownBy(() -> check(Map.of("portreservation.start-port", value)));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					portreservation.count[0]=4                        | portreservation.count | list
					portreservation.count.a=4                         | portreservation.count | map
					portreservation.kind[0]=runtime                   | portreservation.kind  | list
					portreservation.server.enabled.x=true             | portreservation.server.enabled | map
					portreservation.health.free-ports-warning-threshold[1]=2 | portreservation.health.free-ports-warning-threshold | list
					""")
	void listOrMapWhereOneValueBelongsFailsNamingTheProperty(String setting, String property, String shape) {
		this.runner.withPropertyValues(setting).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalysisAssert.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains(property + " takes a single value, but a " + shape + " was given");
			assertThat(analysis.getAction()).startsWith("Set " + property + " to one value");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			list  | 'portreservation:\\n  count:\\n    - 4\\n    - 8\\n'
			map   | 'portreservation:\\n  count:\\n    low: 4\\n'
			""")
	void yamlListOrMapForTheCountFailsWithItsOrigin(String shape, String yaml) throws IOException {
		PropertySource<?> source = yaml(yaml.replace("\\n", "\n"));
		InvalidPortReservationPropertyException failure = catchThrowableOfType(
				InvalidPortReservationPropertyException.class, () -> check(source));
		assertThat(failure.getProblem())
			.isEqualTo("portreservation.count takes a single value, but a " + shape + " was given");
		assertThat(String.valueOf(failure.getOrigin())).contains("application.yml");
	}

	@Test
	void yamlCountInHexadecimalFails() throws IOException {
		PropertySource<?> source = yaml("portreservation:\n  count: 0x10\n");
		InvalidPortReservationPropertyException failure = catchThrowableOfType(
				InvalidPortReservationPropertyException.class, () -> check(source));
		assertThat(failure.getProperty()).isEqualTo("portreservation.count");
	}

	@ParameterizedTest(name = "count: {0}")
	@ValueSource(strings = { "010", "0010", "+010", "07" })
	void yamlNumberWithALeadingZeroFailsLikeHexadecimal(String written) throws IOException {
		// YAML 1.1 reads 010 as octal 8; the same text in a .properties file binds as 10.
		PropertySource<?> source = yaml("portreservation:\n  count: " + written + "\n");
		InvalidPortReservationPropertyException failure = catchThrowableOfType(
				InvalidPortReservationPropertyException.class, () -> check(source));
		assertThat(failure).isNotNull();
		assertThat(failure.getProperty()).isEqualTo("portreservation.count");
		assertThat(failure.getProblem()).startsWith("must be a whole number written in decimal, was '" + written + "'");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "portreservation.ports.partner, 5000", "portreservation.ports.web, 0",
			"portreservation.ports.admin-api, '${other.port}'" })
	void aNamedPortSetByTheUserFailsNamingIt(String name, String value) {
		InvalidPortReservationPropertyException failure = catchThrowableOfType(
				InvalidPortReservationPropertyException.class, () -> check(Map.of(name, value)));
		assertThat(failure).isNotNull();
		assertThat(failure.getProperty()).isEqualTo(name);
		assertThat(failure.getProblem()).startsWith("is set, but a named port is lent from the block");
	}

	@Test
	void aNamedPortSetAsAnEnvironmentVariableOrSystemPropertyFailsNamingIt() {
		InvalidPortReservationPropertyException variable = catchThrowableOfType(
				InvalidPortReservationPropertyException.class,
				() -> checkEnvironment(Map.of("PORTRESERVATION_PORTS_PARTNER", "5000")));
		assertThat(variable).isNotNull();
		assertThat(variable.getProperty()).isEqualTo("PORTRESERVATION_PORTS_PARTNER");
		InvalidPortReservationPropertyException system = catchThrowableOfType(
				InvalidPortReservationPropertyException.class,
				() -> check(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
						Map.of("portreservation.ports.partner", "5000"))));
		assertThat(system).isNotNull();
		assertThat(system.getProperty()).isEqualTo("portreservation.ports.partner");
	}

	private void check(Map<String, Object> properties) {
		check(new MapPropertySource("test", new LinkedHashMap<>(properties)));
	}

	private void check(PropertySource<?> source) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().addFirst(source);
		ConfigurationPropertySources.attach(environment);
		this.strict.check(environment);
	}

	private void checkEnvironment(Map<String, Object> variables) {
		check(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				variables));
	}

	private static PropertySource<?> yaml(String yaml) throws IOException {
		ByteArrayResource resource = new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml") {

			@Override
			public String getFilename() {
				return "application.yml";
			}

		};
		return new YamlPropertySourceLoader().load("application.yml", resource).get(0);
	}

	private List<String> documentedNames() {
		return this.strict.knownNames();
	}

	private static String camelCase(String name) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : name.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

}
