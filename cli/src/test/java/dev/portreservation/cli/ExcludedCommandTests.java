package dev.portreservation.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.portreservation.core.Protocol;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.NetshExcludedPortRanges;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portreservation excluded} and the excluded ranges {@code check} names, on the
 * output of a Windows 10 machine with Hyper-V (a netsh stand-in answers for IPv4 and
 * IPv6; the parsing is the library's, tested on real outputs in core).
 */
@EnabledOnOs(OS.LINUX)
class ExcludedCommandTests {

	private static final String IPV4_TCP = """

			Protocol tcp Port Exclusion Ranges

			Start Port    End Port
			----------    --------
			      5357        5357
			     49671       49770
			     50000       50059     *

			* - Administered port exclusions.
			""";

	private static final String IPV6_TCP = """

			Protocol tcp Port Exclusion Ranges

			Start Port    End Port
			----------    --------
			     61117       61216

			* - Administered port exclusions.
			""";

	@AfterEach
	void realNetshAgain() {
		Platforms.excludedForTests = null;
	}

	@Test
	void listsEveryRangeOfBothFamiliesWithItsKind() {
		useNetshAnswering();
		Result result = run("excluded");
		assertThat(result.exitCode).as(result.err).isZero();
		assertThat(result.out).contains("START", "KIND")
			.containsPattern("5357\\s+5357\\s+1\\s+system")
			.containsPattern("49671\\s+49770\\s+100\\s+system")
			.containsPattern("50000\\s+50059\\s+60\\s+administered")
			.containsPattern("61117\\s+61216\\s+100\\s+system")
			.contains("moves at reboot")
			.contains("WSAEACCES (10013)");
	}

	@Test
	void jsonHasOneObjectPerRange() {
		useNetshAnswering();
		Result result = run("excluded", "--json");
		assertThat(result.exitCode).isZero();
		assertThat(result.out).contains("\"protocol\": \"TCP\"")
			.contains("\"start\": 50000")
			.contains("\"end\": 50059")
			.contains("\"administered\": true")
			.contains("\"kind\": \"SYSTEM\"")
			.contains("held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot");
	}

	@Test
	void udpAsksNetshForUdp() {
		Platforms.excludedForTests = new NetshExcludedPortRanges((command) -> command.get(5).equals("protocol=udp")
				? "----------    --------\n  6200  6299\n" : "----------    --------\n");
		Result result = run("excluded", "--udp");
		assertThat(result.out).containsPattern("6200\\s+6299\\s+100\\s+system");
		Result tcp = run("excluded");
		assertThat(tcp.out).contains("No TCP port range is excluded");
	}

	@Test
	void offWindowsThereIsNothingToListAndTheExitCodeSaysSo() {
		Result result = run("excluded");
		assertThat(result.exitCode).isEqualTo(ExitCodes.OTHER);
		assertThat(result.err).contains("Windows feature");
	}

	@Test
	void checkNamesTheExcludedRangesABlockOverlaps() {
		useNetshAnswering();
		Result result = run("check", "49760", "20", "--json");
		assertThat(result.out).contains("\"excluded\": [").contains("\"start\": 49671").doesNotContain("50000");
		Result text = run("check", "49760", "20");
		assertThat(text.out).contains("excluded by Windows: 49671-49770 (system: held by the system");
		Result clear = run("check", "40000", "4", "--json");
		assertThat(clear.out).contains("\"excluded\": [");
		assertThat(clear.out).doesNotContain("\"start\": 49671");
	}

	private static void useNetshAnswering() {
		ExcludedPortRanges.Source netsh = new NetshExcludedPortRanges((command) -> {
			assertThat(command).startsWith("netsh", "interface").endsWith("protocol=tcp");
			return command.get(2).equals("ipv4") ? IPV4_TCP : IPV6_TCP;
		});
		Platforms.excludedForTests = netsh;
		assertThat(netsh.read(Protocol.TCP)).hasSize(4);
	}

	private static Result run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = PortReservationCli.execute(new PrintWriter(out), new PrintWriter(err), args);
		return new Result(code, out.toString(), err.toString());
	}

	private record Result(int exitCode, String out, String err) {
	}

}
