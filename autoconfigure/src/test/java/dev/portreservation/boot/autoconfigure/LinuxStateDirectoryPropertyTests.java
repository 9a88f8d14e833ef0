package dev.portreservation.boot.autoconfigure;

import java.nio.file.Path;

import dev.portreservation.core.BackendType;
import dev.portreservation.core.PortReservations;
import dev.portreservation.linux.LinuxPortReservations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code portreservation.linux.state-directory} is a Boot property: set in the
 * application's configuration it reaches the Linux backend through the factory; a
 * relative path fails startup naming the property; the JVM system property of the same
 * name still works (Boot reads system properties as a property source, and the core reads
 * it when no setting is given).
 */
class LinuxStateDirectoryPropertyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class))
		.withPropertyValues("portreservation.backend=linux");

	@TempDir
	Path directory;

	@BeforeEach
	void onLinux() {
		assumeThat(BackendType.current()).as("the Linux backend reserves runtime blocks on Linux only")
			.isEqualTo(BackendType.LINUX);
	}

	@Test
	void thePropertyReachesTheBackend() {
		Path configured = this.directory.resolve("state");
		this.runner.withPropertyValues("portreservation.linux.state-directory=" + configured).run((context) -> {
			assertThat(context).hasNotFailed();
			LinuxPortReservations backend = (LinuxPortReservations) context.getBean(PortReservations.class);
			assertThat(backend.stateDirectory()).hasParentRaw(configured);
		});
	}

	@Test
	void theSystemPropertyStillWorks() {
		Path configured = this.directory.resolve("from-system-property");
		this.runner.withSystemProperties("portreservation.linux.state-directory=" + configured).run((context) -> {
			LinuxPortReservations backend = (LinuxPortReservations) context.getBean(PortReservations.class);
			assertThat(backend.stateDirectory()).hasParentRaw(configured);
		});
		String previous = System.setProperty("portreservation.linux.state-directory", configured.toString());
		try {
			// Without Spring: the core reads the system property when no setting is
			// given.
			assertThat(new LinuxPortReservations().stateDirectory()).hasParentRaw(configured);
		}
		finally {
			if (previous == null) {
				System.clearProperty("portreservation.linux.state-directory");
			}
			else {
				System.setProperty("portreservation.linux.state-directory", previous);
			}
		}
	}

	@Test
	void aRelativePathFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("portreservation.linux.state-directory=run/state").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalysisAssert.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("portreservation.linux.state-directory")
				.contains("run/state")
				.contains("must be an absolute path");
		});
	}

}
