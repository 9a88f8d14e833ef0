package dev.portreservation;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring-free library names no Spring property in anything it can say: no string
 * constant of a class of the core or a backend mentions a {@code portreservation.*}
 * property. (Spring advice belongs to the failure analyzer.) The names allowed are the
 * core's own JVM system properties for the Linux state and runtime directories and the
 * switch to the {@code /proc/net} socket tables.
 */
class CoreMessagesTests {

	private static final Pattern PROPERTY = Pattern.compile("portreservation\\.[a-z][a-z.-]*");

	private static final List<String> SYSTEM_PROPERTIES = List.of("portreservation.linux.state-directory",
			"portreservation.linux.runtime-directory", "portreservation.linux.sock-diag");

	@Test
	void noSpringPropertyNameInTheLibrary() throws IOException, URISyntaxException {
		Path classes = Path.of(PortReservation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<String> found = new ArrayList<>();
		for (String library : List.of("core", "linux", "windows", "portable")) {
			try (Stream<Path> files = Files.walk(classes.resolve("dev/portreservation/" + library))) {
				for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
					// String constants are stored as (modified) UTF-8; ASCII names read
					// back as they are.
					Matcher matcher = PROPERTY
						.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
					while (matcher.find()) {
						if (!SYSTEM_PROPERTIES.contains(matcher.group())) {
							found.add(classes.relativize(file) + ": " + matcher.group());
						}
					}
				}
			}
		}
		assertThat(found).as("Spring property names in the library's strings").isEmpty();
	}

}
