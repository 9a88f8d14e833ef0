package dev.portreservation.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a {@code /proc} file. {@code Files.readString} trusts the size the file system
 * reports, and {@code /proc} reports 0 for files that are not empty: on JDK 17 that
 * returns only the first byte (reading {@code ip_local_port_range} gives {@code "3"}). A
 * stream read until end of file gets it all.
 */
final class ProcFile {

	private ProcFile() {
	}

	static String read(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

}
