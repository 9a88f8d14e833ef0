package dev.portreservation.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.portreservation.linux.ThrowawayUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code create} and {@code delete} write {@code ip_local_reserved_ports}, so these tests
 * run only in the failsafe execution {@code netns-tests}, whose JVM lives in a private
 * network namespace ({@code core/src/test/netns/bin/java}); the CLI processes it starts
 * are its children, in the same namespace. The host's setting is never touched.
 */
@EnabledOnOs(OS.LINUX)
@GuardTimeout(120)
class CliInNetnsTests {

	private static final Path RESERVED_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");

	private static final String OTHER_USER = "prh5aa";

	@TempDir
	Path temporary;

	private String before;

	@BeforeAll
	static void requirePrivateNetworkNamespace() throws IOException {
		String mode = System.getProperty("portreservation.test.netns");
		Assumptions.assumeTrue("private".equals(mode),
				() -> "No private network namespace: "
						+ ((mode != null) ? System.getProperty("portreservation.test.netns.reason")
								: "not started by core/src/test/netns/bin/java (failsafe execution netns-tests)"));
		String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
		long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
		if (own.equals(System.getProperty("portreservation.test.host-netns", own))
				|| own.equals(namespaceOf(Path.of("/proc/1/ns/net")))
				|| own.equals(namespaceOf(Path.of("/proc/" + parent + "/ns/net")))) {
			throw new IllegalStateException("Refusing to write ip_local_reserved_ports: this JVM is in the host's "
					+ "network namespace " + own);
		}
	}

	/**
	 * @return the namespace a link names, or "" where it cannot be read (another pid
	 * namespace, say)
	 */
	private static String namespaceOf(Path link) {
		try {
			return Files.readSymbolicLink(link).toString();
		}
		catch (IOException | SecurityException ex) {
			return "";
		}
	}

	@BeforeEach
	void remember() throws IOException {
		this.before = reservedPorts();
	}

	@AfterEach
	void restored() throws IOException {
		assertThat(reservedPorts()).as("ip_local_reserved_ports after the test").isEqualTo(this.before);
	}

	@Test
	void createListCheckDeleteFollowTheLibrarysRules() throws Exception {
		String state = this.temporary.resolve("state").toString();
		CliProcess.Result created = cli("create", "40000", "8", "--state-directory", state);
		assertThat(created.exitCode()).as(created.toString()).isZero();
		assertThat(created.out()).contains("Created persistent TCP block 40000-40007");
		assertThat(reservedPorts()).isEqualTo(join(this.before, "40000-40007"));

		JsonNode list = cli("list", "--state-directory", state, "--json").json();
		assertThat(list.get("persistentBlocks")).singleElement().satisfies((record) -> {
			assertThat(record.get("protocol").asString()).isEqualTo("TCP");
			assertThat(record.get("block").asString()).isEqualTo("40000-40007");
			assertThat(record.get("inSysctl").asBoolean()).isTrue();
			assertThat(record.get("sysctlEntry").asString()).isEqualTo("added");
		});
		assertThat(list.get("reservedPorts").toString()).contains("40000-40007");
		CliProcess.Result text = cli("list", "--state-directory", state);
		assertThat(text.out()).containsPattern("TCP +40000-40007 +8 +yes +added")
			.contains("ip_local_reserved_ports: 40000-40007");

		CliProcess.Result check = cli("check", "40000", "8", "--state-directory", state);
		assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
		assertThat(check.out()).contains("is NOT free", "ip_local_reserved_ports",
				"persistent TCP block 40000-40007 of portreservation");
		CliProcess.Result who = cli("who", "40003", "--state-directory", state);
		assertThat(who.out()).contains("reserved: port 40003 is in ip_local_reserved_ports (persistent TCP block "
				+ "40000-40007 of portreservation)");

		CliProcess.Result again = cli("create", "40000", "8", "--state-directory", state);
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
		assertThat(again.err()).contains("conflict", "fix: 'portreservation list'");
		CliProcess.Result overlapping = cli("create", "40004", "8", "--state-directory", state, "--json");
		assertThat(overlapping.exitCode()).as(overlapping.toString()).isEqualTo(1);
		assertThat(overlapping.json().get("error").get("reason").asString()).isEqualTo("CONFLICT");
		assertThat(reservedPorts()).isEqualTo(join(this.before, "40000-40007"));

		// The kernel's list is not per protocol: the same range for UDP shares the entry.
		assertThat(cli("create", "40000", "8", "--udp", "--state-directory", state).exitCode()).isZero();
		assertThat(cli("delete", "40000", "8", "--state-directory", state).exitCode()).isZero();
		assertThat(reservedPorts()).isEqualTo(join(this.before, "40000-40007"));
		CliProcess.Result deleted = cli("delete", "40000", "8", "--udp", "--state-directory", state);
		assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
		assertThat(deleted.out()).contains("Deleted persistent UDP block 40000-40007");
		assertThat(reservedPorts()).isEqualTo(this.before);

		CliProcess.Result gone = cli("delete", "40000", "8", "--state-directory", state);
		assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
		assertThat(gone.err()).contains("not found", "fix: 'portreservation list' shows the recorded blocks");
		assertThat(cli("check", "40000", "8", "--state-directory", state).exitCode()).isZero();
	}

	@Test
	void anAdministratorsEntryIsShownAdoptedAndLeftInPlace() throws Exception {
		String state = this.temporary.resolve("state").toString();
		writeReservedPorts(join(this.before, "50000-50009"));
		try {
			CliProcess.Result who = cli("who", "50001", "--state-directory", state);
			assertThat(who.out())
				.contains("reserved: port 50001 is in ip_local_reserved_ports (not recorded by portreservation");
			CliProcess.Result adopted = cli("create", "50000", "4", "--state-directory", state);
			assertThat(adopted.exitCode()).as(adopted.toString()).isZero();
			assertThat(cli("list", "--state-directory", state).out())
				.containsPattern("TCP +50000-50003 +4 +yes +adopted");
			assertThat(cli("delete", "50000", "4", "--state-directory", state).exitCode()).isZero();
			assertThat(reservedPorts()).isEqualTo(join(this.before, "50000-50009"));
		}
		finally {
			writeReservedPorts(this.before);
		}
	}

	@Test
	void withoutThePrivilegeCreateExitsWithThreeAndChangesNothing() throws Exception {
		Assumptions.assumeTrue(isRoot(), "running the CLI as another user needs root");
		ThrowawayUser other = ThrowawayUser.ensure(OTHER_USER);
		// The other user cannot write the sysctl (no CAP_NET_ADMIN) nor this root-owned
		// state directory.
		List<String> asOther = other.prefix();
		String state = this.temporary.resolve("state").toString();
		CliProcess.Result denied = CliProcess.run(asOther, "create", "45000", "4", "--state-directory", state);
		assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(3);
		assertThat(denied.err()).contains("access denied", "fix: run as root");
		CliProcess.Result json = CliProcess.run(asOther, "delete", "45000", "4", "--state-directory", state, "--json");
		assertThat(json.exitCode()).as(json.toString()).isIn(1, 3);
		assertThat(json.json().get("error").get("fix").asString()).isNotBlank();
		assertThat(reservedPorts()).isEqualTo(this.before);
		assertThat(Path.of(state)).doesNotExist();
	}

	private static CliProcess.Result cli(String... args) throws IOException, InterruptedException {
		return CliProcess.run(args);
	}

	private static String reservedPorts() throws IOException {
		try (InputStream in = Files.newInputStream(RESERVED_PORTS)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
		}
	}

	private static void writeReservedPorts(String value) throws IOException {
		Files.writeString(RESERVED_PORTS, value + "\n", StandardCharsets.US_ASCII);
	}

	private static String join(String existing, String added) {
		return existing.isEmpty() ? added : existing + "," + added;
	}

	private static boolean isRoot() throws IOException {
		return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
	}

}
