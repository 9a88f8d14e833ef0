package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Guards tests that write system-wide network settings: they may run only in a private
 * network namespace made by {@code src/test/netns/bin/java}. Without one they skip and
 * say why; when the wrapper claims a private namespace but this JVM still shares a
 * namespace with the build, they fail before writing anything.
 */
final class PrivateNetworkNamespace {

	static final String MODE_PROPERTY = "portreservation.test.netns";

	static final String REASON_PROPERTY = "portreservation.test.netns.reason";

	static final String HOST_PROPERTY = "portreservation.test.host-netns";

	private PrivateNetworkNamespace() {
	}

	/**
	 * Skips the caller unless it runs in a private network namespace, and fails it when
	 * it was promised one but is not in one.
	 */
	static void require() {
		String mode = System.getProperty(MODE_PROPERTY);
		Assumptions.assumeTrue(mode != null,
				"Not started by src/test/netns/bin/java (surefire execution "
						+ "'netns-tests'); these tests write ip_local_reserved_ports and run only in a private network "
						+ "namespace");
		Assumptions.assumeTrue("private".equals(mode), () -> "No private network namespace could be made: "
				+ System.getProperty(REASON_PROPERTY) + "; run the build as root or enable user namespaces");
		List<String> problems = problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Refusing to write network sysctls: this JVM is not in a private "
					+ "network namespace (" + String.join("; ", problems) + ")");
		}
	}

	private static List<String> problems() {
		List<String> problems = new ArrayList<>();
		Optional<String> own = namespaceOf(Path.of("/proc/self/ns/net"));
		if (own.isEmpty()) {
			problems.add("/proc/self/ns/net cannot be read");
			return problems;
		}
		String host = System.getProperty(HOST_PROPERTY);
		if (host == null || host.equals("unknown") || host.equals(own.get())) {
			problems.add("the wrapper's namespace " + host + " is this JVM's " + own.get());
		}
		// Where readable, the namespaces of init and of the Maven process that forked us
		// must differ too.
		namespaceOf(Path.of("/proc/1/ns/net")).filter(own.get()::equals)
			.ifPresent((same) -> problems.add("pid 1 shares namespace " + same));
		ProcessHandle.current()
			.parent()
			.flatMap((parent) -> namespaceOf(Path.of("/proc/" + parent.pid() + "/ns/net")))
			.filter(own.get()::equals)
			.ifPresent((same) -> problems.add("the parent process shares namespace " + same));
		List<String> interfaces = interfaces();
		if (!interfaces.equals(List.of("lo"))) {
			problems.add("a fresh namespace has only 'lo', this one has " + interfaces);
		}
		return problems;
	}

	private static Optional<String> namespaceOf(Path link) {
		try {
			return Optional.of(Files.readSymbolicLink(link).toString());
		}
		catch (IOException | SecurityException ex) {
			return Optional.empty();
		}
	}

	private static List<String> interfaces() {
		List<String> names = new ArrayList<>();
		try {
			String[] lines = ProcFile.read(Path.of("/proc/net/dev")).split("\n");
			// Two header lines, then "name: counters".
			for (int i = 2; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					names.add(lines[i].substring(0, colon).strip());
				}
			}
		}
		catch (IOException ex) {
			names.add("(unreadable /proc/net/dev)");
		}
		return names;
	}

}
