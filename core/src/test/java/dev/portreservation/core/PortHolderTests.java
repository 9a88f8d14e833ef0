package dev.portreservation.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What failure messages say about a holder.
 */
class PortHolderTests {

	@Test
	void eachKindOfHolderIsDescribedWithPidCommandAndHow() {
		assertThat(PortHolder.socket(Protocol.TCP, 8080, "LISTEN", "::", 42, "python3 -m http.server", 1000).describe())
			.isEqualTo("pid 42 (python3 -m http.server) listening on [::]:8080");
		assertThat(PortHolder.socket(Protocol.UDP, 53, "BOUND", "127.0.0.1", 7, null, 0).describe())
			.isEqualTo("pid 7 bound on 127.0.0.1:53");
		assertThat(
				PortHolder.socket(Protocol.TCP, 8080, "TIME_WAIT", "127.0.0.1", PortHolder.UNKNOWN, null, 0).describe())
			.startsWith("a TCP connection in TIME_WAIT on 127.0.0.1:8080 (no process");
		assertThat(
				PortHolder.socket(Protocol.TCP, 8080, "LISTEN", "0.0.0.0", PortHolder.UNKNOWN, null, 1001).describe())
			.startsWith("a process of uid 1001 this user may not inspect");
		assertThat(PortHolder
			.block(Protocol.TCP, 40001, PortHolder.Kind.RUNTIME_BLOCK, new PortBlock(40000, 8), 9, "java -jar app.jar",
					0)
			.describe())
			.isEqualTo("pid 9 (java -jar app.jar) holds it in its runtime TCP block 40000-40007 (portreservation)");
	}

	@Test
	void aJvmsClassPathDoesNotHideItsMainClass() {
		String classPath = "/a.jar:".repeat(200);
		PortHolder holder = PortHolder.socket(Protocol.TCP, 1, "LISTEN", "::", 1,
				"/usr/bin/java -cp " + classPath + " com.example.Main --port 1", 0);
		assertThat(holder.shortCommand()).isEqualTo("java com.example.Main --port 1");
		assertThat(holder.command()).contains(classPath);
	}

	@Test
	void aJvmIsSummarisedByItsJarModuleOrMainClass() {
		String classPath = "/home/me/.m2/repository/a.jar:".repeat(300);
		assertThat(CommandLineSummary.of("/usr/lib/jvm/java-17/bin/java -Xmx1g -Dspring.profiles.active=dev -jar "
				+ "target/app.jar --server.port=8080"))
			.isEqualTo("java -jar target/app.jar --server.port=8080");
		assertThat(CommandLineSummary.of("java -XX:TieredStopAtLevel=1 -cp " + classPath
				+ " --add-opens java.base/java.lang=ALL-UNNAMED org.example.App"))
			.isEqualTo("java org.example.App");
		assertThat(CommandLineSummary.of("java -p mods --add-modules x -m org.example/org.example.App a"))
			.isEqualTo("java -m org.example/org.example.App a");
		assertThat(CommandLineSummary.of("/usr/bin/python3 -m http.server 8080"))
			.isEqualTo("/usr/bin/python3 -m http.server 8080");
		assertThat(CommandLineSummary.of("node -cp " + classPath + " server.js")).isEqualTo("node -cp ... server.js");
		assertThat(CommandLineSummary.of("java @/tmp/idea_arg_file")).isEqualTo("java @/tmp/idea_arg_file");
		assertThat(CommandLineSummary.of("java org.example.App " + "x".repeat(300)))
			.hasSize(CommandLineSummary.MAX_LENGTH)
			.startsWith("java org.example.App xxx")
			.endsWith("...");
	}

	@Test
	void messagesNameFiveHoldersAndCountTheRest() {
		assertThat(PortHolder.describeAll(List.of())).isEmpty();
		List<PortHolder> holders = new ArrayList<>();
		for (int pid = 1; pid <= 7; pid++) {
			holders.add(PortHolder.socket(Protocol.TCP, 80, "ESTABLISHED", "10.0.0.1", pid, "x", 0));
		}
		assertThat(PortHolder.describeAll(holders)).startsWith("; held by pid 1 (x)")
			.contains("pid 5 (x)")
			.doesNotContain("pid 6")
			.endsWith(" and 2 more");
	}

}
