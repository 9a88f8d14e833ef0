package dev.portreservation.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.ClosedAfterEach;
import dev.portreservation.linux.PortHoldingProcess;
import dev.portreservation.linux.ReservationWorker;
import dev.portreservation.linux.ThrowawayUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI jar run as an operator runs it, in the build's own network namespace: nothing
 * here writes a system setting (create / delete are in {@link CliInNetnsTests}).
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(120)
class CliProcessTests {

	@TempDir
	Path temporary;

	@RegisterExtension
	final ClosedAfterEach closed = new ClosedAfterEach();

	@Test
	void helpListsTheCommandsAndTheExitCodes() throws Exception {
		CliProcess.Result help = CliProcess.run("--help");
		assertThat(help.exitCode()).as(help.toString()).isZero();
		assertThat(help.out()).contains("list", "create", "delete", "who", "check", "Exit codes:", "0   done",
				"1   not free", "2   usage", "3   access denied", "4   any other failure");
	}

	@Test
	void theLauncherScriptRunsTheJarBuiltBesideIt() throws Exception {
		ProcessBuilder launcher = new ProcessBuilder(Path.of("bin", "portreservation").toAbsolutePath().toString(),
				"--version")
			.redirectErrorStream(true);
		launcher.environment().remove("PORTRESERVATION_CLI_JAR");
		launcher.environment().put("JAVA_HOME", System.getProperty("java.home"));
		Process process = launcher.start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).startsWith("portreservation 0.1.0-SNAPSHOT");
	}

	@Test
	void everyBadCommandLineExitsWithTwoAndSaysWhatToFix() throws Exception {
		String[][] bad = { {}, { "frobnicate" }, { "who" }, { "who", "0x1F90" }, { "who", "0" }, { "who", "65536" },
				{ "who", "8080", "--tcp" }, { "check", "40000" }, { "check", "40000", "0" }, { "check", "65535", "2" },
				{ "check", "010", "2" }, { "create", "-1", "4" }, { "delete", "40000", "1e3" } };
		for (String[] args : bad) {
			CliProcess.Result result = CliProcess.run(args);
			assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isEqualTo(2);
			assertThat(result.err()).as(String.join(" ", args)).contains("fix: ");
		}
	}

	@Test
	void whoNamesTheProcessForEverySocketKindInTextAndJson() throws Exception {
		PortBlock block = freeBlock(3);
		int first = block.startPort();
		Process holder = CliProcess.startJava("READY", PortHoldingProcess.class, "tcp-listen/127.0.0.1/" + first,
				"udp/127.0.0.1/" + (first + 1), "tcp-connected/" + (first + 2));
		this.closed.killed(holder);
		String[][] cases = { { Integer.toString(first), "TCP", "LISTEN" },
				{ Integer.toString(first + 1), "UDP", "BOUND" },
				{ Integer.toString(first + 2), "TCP", "ESTABLISHED" } };
		for (String[] expected : cases) {
			String[] args = expected[1].equals("UDP") ? new String[] { "who", expected[0], "--udp" }
					: new String[] { "who", expected[0] };
			CliProcess.Result text = CliProcess.run(args);
			assertThat(text.exitCode()).as(text.toString()).isZero();
			assertThat(text.out()).as(text.toString())
				.contains(Long.toString(holder.pid()), expected[2] + " 127.0.0.1:" + expected[0],
						PortHoldingProcess.class.getName());
			CliProcess.Result json = CliProcess.run(append(args, "--json"));
			assertThat(json.exitCode()).as(json.toString()).isZero();
			JsonNode holders = json.json().get("holders");
			assertThat(holders).as(json.toString()).hasSize(1);
			assertThat(holders.get(0).get("pid").asLong()).isEqualTo(holder.pid());
			assertThat(holders.get(0).get("state").asString()).isEqualTo(expected[2]);
			assertThat(holders.get(0).get("protocol").asString()).isEqualTo(expected[1]);
		}
		CliProcess.Result nobody = CliProcess.run("who", Integer.toString(first), "--udp");
		assertThat(nobody.exitCode()).isZero();
		assertThat(nobody.out()).startsWith("No process visible to this user holds UDP port " + first);
	}

	@Test
	void anotherUserSeesTheUidOfRootsSocketButNotItsProcess() throws Exception {
		assumeTrue(((Number) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0,
				"running the CLI as another user needs root");
		ThrowawayUser other = ThrowawayUser.ensure("prh5aa");
		PortBlock block = freeBlock(1);
		Process holder = CliProcess.startJava("READY", PortHoldingProcess.class,
				"tcp-listen/127.0.0.1/" + block.startPort());
		this.closed.killed(holder);
		CliProcess.Result who = CliProcess.run(other.prefix(), "who", Integer.toString(block.startPort()), "--json");
		assertThat(who.exitCode()).as(who.toString()).isZero();
		assertThat(who.json().get("holders")).as(who.toString()).singleElement().satisfies((item) -> {
			assertThat(item.get("pid").isNull()).isTrue();
			assertThat(item.get("uid").asLong()).isZero();
			assertThat(item.get("state").asString()).isEqualTo("LISTEN");
			assertThat(item.get("description").asString()).startsWith("a process of uid 0 this user may not inspect");
		});
		CliProcess.Result asRoot = CliProcess.run("who", Integer.toString(block.startPort()), "--json");
		assertThat(asRoot.json().get("holders").get(0).get("pid").asLong()).isEqualTo(holder.pid());
	}

	@Test
	void whoAndListNameALibraryBlockOfAnotherProcessThroughTheHolderRegistry() throws Exception {
		PortBlock block = freeBlock(4);
		Process worker = startWorkerWithRecord(block, "");
		Path registry = this.temporary.resolve("runtime");
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			CliProcess.Result who = CliProcess.run("who", Integer.toString(port), "--runtime-directory",
					registry.toString(), "--json");
			assertThat(who.exitCode()).as(who.toString()).isZero();
			assertThat(who.json().get("holders")).as(who.toString()).singleElement().satisfies((holder) -> {
				assertThat(holder.get("pid").asLong()).isEqualTo(worker.pid());
				assertThat(holder.get("kind").asString()).isEqualTo("RUNTIME_BLOCK");
				assertThat(holder.get("block").asString()).isEqualTo(block.toString());
			});
		}
		CliProcess.Result list = CliProcess.run("list", "--runtime-directory", registry.toString());
		assertThat(list.exitCode()).as(list.toString()).isZero();
		assertThat(list.out()).contains("Processes holding blocks (holder registry, this network namespace):")
			// Named by the live process's whole command line, not the record's copy.
			.containsPattern(worker.pid() + " +\\d+ +TCP +" + block + " +runtime +- +java "
					+ java.util.regex.Pattern.quote(ReservationWorker.class.getName()) + " runtime ");
		JsonNode listed = CliProcess.run("list", "--runtime-directory", registry.toString(), "--json").json();
		assertThat(listed.get("holders")).singleElement()
			.satisfies((holder) -> assertThat(holder.get("pid").asLong()).isEqualTo(worker.pid()));
		CliProcess.Result check = CliProcess.run("check", Integer.toString(block.startPort()),
				Integer.toString(block.count()), "--runtime-directory", registry.toString());
		assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
		assertThat(check.out()).contains("is NOT free", "pid " + worker.pid(), "runtime block " + block,
				"(java " + ReservationWorker.class.getName() + " runtime ");
	}

	@Test
	void whoListAndCheckNameWhoAPortOfAnotherProcessIsLentTo() throws Exception {
		PortBlock block = freeBlock(4);
		int lent = block.startPort() + 2;
		// A record with the lease lines the backend writes for a lent (named) port.
		Process worker = startWorkerWithRecord(block, "\nlease.0=tcp " + lent + " partner");
		Path registry = this.temporary.resolve("runtime");

		CliProcess.Result who = CliProcess.run("who", Integer.toString(lent), "--runtime-directory",
				registry.toString());
		assertThat(who.out()).as(who.toString()).contains("runtime block " + block + ", leased to partner");
		JsonNode whoJson = CliProcess
			.run("who", Integer.toString(lent), "--runtime-directory", registry.toString(), "--json")
			.json();
		assertThat(whoJson.get("holders")).singleElement()
			.satisfies((holder) -> assertThat(holder.get("leaseOwner").asString()).isEqualTo("partner"));
		CliProcess.Result other = CliProcess.run("who", Integer.toString(block.startPort()), "--runtime-directory",
				registry.toString());
		assertThat(other.out()).as("a port that is not lent").doesNotContain("leased to");

		CliProcess.Result list = CliProcess.run("list", "--runtime-directory", registry.toString());
		assertThat(list.out()).as(list.toString())
			.contains("LEASED TO")
			.containsPattern(worker.pid() + " +\\d+ +TCP +" + block + " +runtime +" + lent + " partner +java");
		JsonNode listed = CliProcess.run("list", "--runtime-directory", registry.toString(), "--json").json();
		assertThat(listed.get("holders").get(0).get("blocks").get(0).get("leases")).singleElement()
			.satisfies((lease) -> {
				assertThat(lease.get("port").asInt()).isEqualTo(lent);
				assertThat(lease.get("owner").asString()).isEqualTo("partner");
			});

		CliProcess.Result check = CliProcess.run("check", Integer.toString(block.startPort()),
				Integer.toString(block.count()), "--runtime-directory", registry.toString());
		assertThat(check.out()).as(check.toString()).contains("leased to partner");
	}

	@Test
	void checkAnswersFreeOrNamesWhatIsInTheWayPerProtocol() throws Exception {
		PortBlock block = freeBlock(4);
		String start = Integer.toString(block.startPort());
		String count = Integer.toString(block.count());
		CliProcess.Result free = CliProcess.run("check", start, count);
		assertThat(free.exitCode()).as(free.toString()).isZero();
		assertThat(free.out()).contains("TCP block " + block + " (4 ports) is free");

		int busy = block.startPort() + 2;
		Process holder = CliProcess.startJava("READY", PortHoldingProcess.class, "tcp-listen/127.0.0.1/" + busy);
		this.closed.killed(holder);
		CliProcess.Result taken = CliProcess.run("check", start, count);
		assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
		assertThat(taken.out()).contains("is NOT free", "Port " + busy, "pid " + holder.pid(), "In the way:", "fix: ");
		JsonNode json = CliProcess.run("check", start, count, "--json").json();
		assertThat(json.get("free").asBoolean()).isFalse();
		assertThat(json.get("reason").asString()).isEqualTo("CONFLICT");
		assertThat(json.get("inTheWay")).singleElement()
			.satisfies((item) -> assertThat(item.get("pid").asLong()).isEqualTo(holder.pid()));
		// A TCP listener does not take the UDP ports.
		CliProcess.Result udp = CliProcess.run("check", start, count, "--udp");
		assertThat(udp.exitCode()).as(udp.toString()).isZero();
	}

	/**
	 * Starts a process of the library holding {@code block} (TCP, runtime) and writes the
	 * holder record the backend writes for it into the registry {@code runtime} of the
	 * temporary directory; the process is killed after the test.
	 * @param block the block the process holds
	 * @param leaseLines lines after the block's in the record ("" for none)
	 * @return the process
	 */
	private Process startWorkerWithRecord(PortBlock block, String leaseLines) throws IOException {
		Process worker = CliProcess.startJava("HELD " + block, ReservationWorker.class, "runtime",
				this.temporary.resolve("state").toString(), Integer.toString(block.startPort()),
				Integer.toString(block.count()));
		this.closed.killed(worker);
		CliProcess.writeHolderRecord(this.temporary.resolve("runtime"), worker.pid(), "java ReservationWorker",
				"tcp " + block.startPort() + " " + block.count() + " runtime" + leaseLines);
		return worker;
	}

	private static PortBlock freeBlock(int count) {
		PortReservations backend = PortReservations.forCurrentPlatform();
		try (PortReservation tcp = backend.acquireRuntime(Protocol.TCP, count);
				PortReservation udp = backend.acquireRuntime(Protocol.UDP, tcp.block())) {
			return tcp.block();
		}
	}

	private static String[] append(String[] args, String extra) {
		String[] all = java.util.Arrays.copyOf(args, args.length + 1);
		all[args.length] = extra;
		return all;
	}

}
