package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Ordinary files standing in for {@code ip_local_reserved_ports} (empty) and
 * {@code ip_local_port_range} (32768-60999), made afresh for each test in a temporary
 * directory of their own, and a Linux backend that reads and writes them and keeps its
 * records in {@code state} beside them: persistent blocks are tested without privilege
 * and the host's sysctl is never touched. Registered as a field with
 * {@code @RegisterExtension}; the directory is removed after each test.
 */
final class StandInSysctl implements BeforeEachCallback, AfterEachCallback {

	private Path directory;

	private Path file;

	private LinuxPortReservations backend;

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		this.directory = Files.createTempDirectory("stand-in-sysctl");
		this.file = Files.writeString(this.directory.resolve("ip_local_reserved_ports"), "\n");
		Path range = Files.writeString(this.directory.resolve("ip_local_port_range"), "32768\t60999\n");
		this.backend = new LinuxPortReservations(this.file, range, stateDirectory());
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		try (Stream<Path> everything = Files.walk(this.directory)) {
			for (Path path : everything.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/**
	 * @return the test's own directory, for other files of the test
	 */
	Path directory() {
		return this.directory;
	}

	/**
	 * @return the file standing in for {@code ip_local_reserved_ports}
	 */
	Path file() {
		return this.file;
	}

	/**
	 * @return where the backend keeps its records (not created before it needs it)
	 */
	Path stateDirectory() {
		return this.directory.resolve("state");
	}

	/**
	 * @return the backend on the stand-in files, one for the whole test
	 */
	LinuxPortReservations backend() {
		return this.backend;
	}

}
