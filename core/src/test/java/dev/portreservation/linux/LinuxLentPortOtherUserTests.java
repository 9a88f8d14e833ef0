package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lent port against a process of <em>another user</em> (the {@link ThrowawayUser}
 * {@value #USER}; root only): exactly the window docs/linux.md states. Before the
 * component listens, that user's explicit bind is refused unless it sets
 * {@code SO_REUSEADDR}; once the component listens it is refused either way; a port of
 * the block that is not lent stays refused to it even with {@code SO_REUSEADDR}.
 */
class LinuxLentPortOtherUserTests {

	static final String USER = "prh6a";

	private static final String PROBE = """
			import java.net.*;
			import java.nio.channels.*;
			public class ForeignBind {
				public static void main(String[] args) throws Exception {
					try (ServerSocketChannel channel = ServerSocketChannel.open()) {
						channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.parseBoolean(args[1]));
						channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
						System.out.println("BOUND");
					}
					catch (BindException ex) {
						System.out.println("REFUSED");
					}
				}
			}
			""";

	private static Path probeDirectory;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@BeforeAll
	static void otherUser() throws Exception {
		ThrowawayUser.ensure(USER);
		probeDirectory = Files.createTempDirectory("prh6-probe");
		Files.setPosixFilePermissions(probeDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path source = probeDirectory.resolve("ForeignBind.java");
		Files.writeString(source, PROBE, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
	}

	@AfterAll
	static void removeProbe() throws IOException {
		if (probeDirectory != null) {
			Files.deleteIfExists(probeDirectory.resolve("ForeignBind.java"));
			Files.deleteIfExists(probeDirectory);
		}
	}

	@Test
	void anotherUserGetsALentPortOnlyBySharingItBeforeTheComponentListens() throws Exception {
		try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 2)) {
			LentPort lent = reservation.lend("component");
			int other = (lent.port() == reservation.block().startPort()) ? lent.port() + 1 : lent.port() - 1;
			assertThat(foreignBind(lent.port(), false)).as("no SO_REUSEADDR, before listen").isEqualTo("REFUSED");
			assertThat(foreignBind(lent.port(), true)).as("SO_REUSEADDR, before listen (the window)")
				.isEqualTo("BOUND");
			assertThat(foreignBind(other, true)).as("a port of the block that is not lent").isEqualTo("REFUSED");
			HttpServer component = HttpServer
				.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), lent.port()), 0);
			component.start();
			try {
				assertThat(foreignBind(lent.port(), true)).as("SO_REUSEADDR, after listen").isEqualTo("REFUSED");
				assertThat(foreignBind(lent.port(), false)).as("no SO_REUSEADDR, after listen").isEqualTo("REFUSED");
			}
			finally {
				component.stop(0);
			}
		}
	}

	private static String foreignBind(int port, boolean reuseAddress) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = ThrowawayUser.ensure(USER)
			.command(java, probeDirectory.resolve("ForeignBind.java").toString(), Integer.toString(port),
					Boolean.toString(reuseAddress))
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).as("probe finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		List<String> lines = output.lines().toList();
		return lines.isEmpty() ? output : lines.get(lines.size() - 1);
	}

}
