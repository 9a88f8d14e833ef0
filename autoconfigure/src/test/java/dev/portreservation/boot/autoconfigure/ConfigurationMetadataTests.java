package dev.portreservation.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata the annotation processors write into the built module (target/classes, or
 * the jar when the tests run against one): IDEs complete and document
 * {@code portreservation.*} from it, and Boot orders and filters the auto-configurations
 * early with it. Javac 23+ runs no processor found on the class path, so a build that
 * forgets the processor path produces a jar without these files and nothing else notices.
 */
class ConfigurationMetadataTests {

	private static final String BASE_PACKAGE = "dev.portreservation";

	private static FileSystem jar;

	private static Path output;

	@BeforeAll
	static void locateBuiltOutput() throws IOException, URISyntaxException {
		URI location = PortReservationProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
		Path path = Path.of(location);
		if (Files.isRegularFile(path)) {
			jar = FileSystems.newFileSystem(path);
			output = jar.getPath("/");
		}
		else {
			output = path;
		}
	}

	@AfterAll
	static void closeJar() throws IOException {
		if (jar != null) {
			jar.close();
		}
	}

	@Test
	void everyConfigurationPropertyIsListedWithADescription() throws Exception {
		Path file = output.resolve("META-INF/spring-configuration-metadata.json");
		assertThat(file).as("spring-configuration-metadata.json in %s", output).exists();
		Map<String, String> descriptions = descriptions(Files.readString(file, StandardCharsets.UTF_8));
		List<String> expected = boundProperties();
		assertThat(expected).as("properties found on the @ConfigurationProperties classes").hasSizeGreaterThan(10);
		List<String> undocumented = new ArrayList<>();
		for (String name : expected) {
			String description = descriptions.get(name);
			if (description == null || description.isBlank()) {
				undocumented.add(name);
			}
		}
		assertThat(undocumented).as("properties missing from the metadata or without a description").isEmpty();
	}

	@Test
	void theOwnMetersSwitchIsDeprecatedInFavourOfBootsMeterFilter() throws IOException {
		String json = Files.readString(output.resolve("META-INF/spring-configuration-metadata.json"),
				StandardCharsets.UTF_8);
		List<Map<String, Object>> deprecations = JsonPath.read(json,
				"$.properties[?(@.name == 'portreservation.metrics.enabled')].deprecation");
		assertThat(deprecations).singleElement()
			.satisfies((deprecation) -> assertThat(deprecation).containsEntry("replacement",
					"management.metrics.enable.portreservation"));
	}

	@Test
	void theFormerHealthSettingsAreDeprecatedInFavourOfTheManagementHealthNamespace() throws IOException {
		String json = Files.readString(output.resolve("META-INF/spring-configuration-metadata.json"),
				StandardCharsets.UTF_8);
		for (String setting : new String[] { "free-ports-warning-threshold", "down-when-exhausted" }) {
			List<Map<String, Object>> deprecations = JsonPath.read(json,
					"$.properties[?(@.name == 'portreservation.health." + setting + "')].deprecation");
			assertThat(deprecations).singleElement()
				.satisfies((deprecation) -> assertThat(deprecation).containsEntry("replacement",
						"management.health.portreservation." + setting));
		}
	}

	@Test
	void everyAutoConfigurationIsInTheAutoConfigureMetadata() throws IOException {
		Path file = output.resolve("META-INF/spring-autoconfigure-metadata.properties");
		assertThat(file).as("spring-autoconfigure-metadata.properties in %s", output).exists();
		Properties metadata = new Properties();
		try (InputStream in = Files.newInputStream(file)) {
			metadata.load(in);
		}
		List<String> imports = Files
			.readAllLines(
					output.resolve("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
			.stream()
			.map(String::trim)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(imports).isNotEmpty();
		assertThat(metadata.stringPropertyNames()).containsAll(imports);
	}

	private static Map<String, String> descriptions(String json) {
		List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
		Map<String, String> descriptions = new LinkedHashMap<>();
		for (Map<String, Object> property : properties) {
			descriptions.put((String) property.get("name"), (String) property.get("description"));
		}
		return descriptions;
	}

	/**
	 * Every property Boot binds on the project's {@code @ConfigurationProperties}
	 * classes, found by scanning the classes rather than listed by hand, so that a new
	 * property cannot be forgotten here.
	 */
	private static List<String> boundProperties() throws ClassNotFoundException {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		TreeSet<String> names = new TreeSet<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(BASE_PACKAGE)) {
			Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), null);
			if (!PortReservationProperties.class.getProtectionDomain()
				.getCodeSource()
				.equals(type.getProtectionDomain().getCodeSource())) {
				continue; // a test's own properties class
			}
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
			collect(prefix, type, names);
		}
		return Collections.unmodifiableList(new ArrayList<>(names));
	}

	private static void collect(String prefix, Class<?> type, TreeSet<String> names) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || "class".equals(property.getName())) {
				continue;
			}
			String name = prefix + "." + dashed(property.getName());
			Class<?> propertyType = property.getPropertyType();
			if (property.getWriteMethod() != null) {
				names.add(name);
			}
			else if (propertyType.getName().startsWith(BASE_PACKAGE + ".") && !propertyType.isEnum()) {
				// a nested group such as portreservation.server
				collect(name, propertyType, names);
			}
		}
	}

	private static String dashed(String camelCase) {
		StringBuilder dashed = new StringBuilder();
		for (char c : camelCase.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

}
