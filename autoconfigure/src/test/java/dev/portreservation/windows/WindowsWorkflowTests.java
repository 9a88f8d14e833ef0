package dev.portreservation.windows;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code .github/workflows/windows.yml} parsed by a real YAML parser (SnakeYAML, on the
 * test class path with Spring Boot) and checked for what it must prove on a runner: the
 * Java matrix, the 32-bit job, the test classes it names (they must exist), the elevation
 * and executed-test gates and the netsh artifact.
 */
class WindowsWorkflowTests {

	private static final Path WORKFLOW = Path.of("..", ".github", "workflows", "windows.yml");

	private Map<String, Object> job;

	@BeforeEach
	void parse() throws IOException {
		try (Reader reader = Files.newBufferedReader(WORKFLOW)) {
			Map<String, Object> workflow = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			this.job = map(map(workflow.get("jobs")).get("windows-backend"));
		}
	}

	@Test
	void runsJava17To25OnX64AndJava17OnX86() {
		assertThat(this.job.get("runs-on")).isEqualTo("windows-latest");
		Map<String, Object> matrix = map(map(this.job.get("strategy")).get("matrix"));
		assertThat(list(matrix.get("java"))).containsExactly("17", "21", "25");
		assertThat(list(matrix.get("architecture"))).containsExactly("x64");
		assertThat(list(matrix.get("include"))).containsExactly(Map.of("java", "17", "architecture", "x86"));
		Map<String, Object> setupJava = map(step("actions/setup-java").get("with"));
		assertThat(setupJava).containsEntry("java-version", "${{ matrix.java }}")
			.containsEntry("architecture", "${{ matrix.architecture }}");
	}

	@Test
	void testsTheRealDllsWithClassesThatExist() throws Exception {
		String command = run("mvn ");
		String selection = command.substring(command.indexOf("-Dtest=") + "-Dtest=".length());
		selection = selection.substring(0, selection.indexOf('"'));
		assertThat(selection.split(",")).contains("WindowsOnRealWindowsTests", "WindowsServersOnRealWindowsTests",
				"SocketHandleWidthTests", "WindowsCallingConventionTests");
		for (String name : selection.split(",")) {
			assertThat(testClassExists(name)).as("test class %s named by the workflow", name).isTrue();
		}
	}

	@Test
	void failsWhenNotElevatedOrWhenNoTestRanAgainstTheRealDlls() {
		assertThat(run("IsInRole")).contains("WindowsBuiltInRole]::Administrator").contains("exit 1");
		String count = run("surefire-reports");
		assertThat(count).contains("WindowsOnRealWindowsTests")
			.contains("WindowsServersOnRealWindowsTests")
			.contains("skipped")
			.contains("-eq 0")
			.contains("exit 1");
	}

	@Test
	void measuresWhichReadingHoldsForBothKindsOfAdministeredBlock() {
		String netsh = run("add excludedportrange");
		assertThat(netsh).contains("store=active")
			.contains("delete excludedportrange")
			.contains("show excludedportrange")
			.contains("TcpListener")
			.contains("UdpClient")
			.contains("foreach ($protocol in 'tcp', 'udp')")
			.contains("finally");
		assertThat(run("windows-persistent-reading-")).contains("Get-Content");
		String command = run("mvn ");
		assertThat(command).contains("ExcludedPortRangesTests");
		List<Object> uploads = new ArrayList<>();
		for (Object step : list(this.job.get("steps"))) {
			if (String.valueOf(map(step).get("uses")).startsWith("actions/upload-artifact")) {
				uploads.add(map(map(step).get("with")).get("path"));
			}
		}
		assertThat(uploads).contains("core/target/windows-persistent-reading-*.txt");
	}

	@Test
	void keepsTheNetshListingOfAPersistentBlock() {
		List<Map<String, Object>> uploads = new ArrayList<>();
		for (Object step : list(this.job.get("steps"))) {
			if (String.valueOf(map(step).get("uses")).startsWith("actions/upload-artifact")) {
				uploads.add(map(map(step).get("with")));
			}
		}
		assertThat(uploads).anySatisfy((with) -> {
			assertThat(with.get("path")).isEqualTo("core/target/netsh-excludedportrange-tcp.txt");
			assertThat(with.get("if-no-files-found")).isEqualTo("error");
		});
	}

	private Map<String, Object> step(String uses) {
		for (Object step : list(this.job.get("steps"))) {
			if (String.valueOf(map(step).get("uses")).startsWith(uses)) {
				return map(step);
			}
		}
		throw new AssertionError("No step uses " + uses);
	}

	private String run(String containing) {
		for (Object step : list(this.job.get("steps"))) {
			Object run = map(step).get("run");
			if (run != null && run.toString().contains(containing)) {
				return run.toString();
			}
		}
		throw new AssertionError("No step runs a command containing " + containing);
	}

	private static boolean testClassExists(String simpleName) {
		for (String pkg : List.of("dev.portreservation.windows.", "dev.portreservation.boot.autoconfigure.web.")) {
			try {
				Class.forName(pkg + simpleName, false, WindowsWorkflowTests.class.getClassLoader());
				return true;
			}
			catch (ClassNotFoundException ex) {
				// Try the next package.
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

}
