package dev.portreservation.windows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A {@code SOCKET} is a {@code UINT_PTR}: 4 bytes on 32-bit Windows, 8 on 64-bit. On a
 * 64-bit JVM a handle fixed at 8 bytes looks right, so the width is also checked in a
 * 32-bit JVM (Debian: {@code openjdk-17-jre-headless:i386}; another one with
 * {@code -Dportreservation.java32=/path/to/java}), where a wrong width moves every
 * argument after the handle. Skips, saying why, where no 32-bit JVM exists.
 */
@GuardTimeout(120)
class SocketHandleWidthTests {

	private static final Path DEBIAN_I386_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-i386/bin/java");

	@Test
	void aSocketHandleIsAsWideAsAPointerInThisJvm() {
		assertThat(Native.getNativeSize(SocketHandle.class)).isEqualTo(Native.POINTER_SIZE);
		assertThat(new SocketHandle(-1L).longValue()).isEqualTo((Native.POINTER_SIZE == 8) ? -1L : 0xFFFFFFFFL);
	}

	@Test
	void inA32BitJvmASocketHandleIsFourBytesAndTheArgumentsAfterItArriveIntact() throws Exception {
		Path java = Path.of(System.getProperty("portreservation.java32", DEBIAN_I386_JAVA.toString()));
		assumeThat(Files.isExecutable(java))
			.as("no 32-bit JVM at " + java + " (install openjdk-17-jre-headless:i386 "
					+ "or pass -Dportreservation.java32=<java>): the SOCKET width is checked on 64 bits only")
			.isTrue();
		Path output = Files.createTempFile("socket-handle-probe", ".txt");
		try {
			Process process = new ProcessBuilder(
					List.of(java.toString(), "-cp", classPath(), SocketHandleProbe.class.getName()))
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			assertThat(process.waitFor(GuardTimeouts.seconds(90), TimeUnit.SECONDS)).as("the 32-bit probe finished")
				.isTrue();
			String printed = Files.readString(output, StandardCharsets.US_ASCII);
			assertThat(printed).as("32-bit probe output")
				.contains("pointer=4;handle=4")
				.contains(SocketHandleProbe.MESSAGE)
				.contains("written=" + (SocketHandleProbe.MESSAGE.length() + 1));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String classPath() {
		// Surefire may start the tests through a manifest-only jar; it keeps the real
		// class path here.
		String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		StringBuilder needed = new StringBuilder();
		for (String entry : full.split(File.pathSeparator)) {
			if (entry.endsWith("classes") || entry.contains("jna")) {
				needed.append((needed.length() > 0) ? File.pathSeparator : "").append(entry);
			}
		}
		return needed.toString();
	}

}
