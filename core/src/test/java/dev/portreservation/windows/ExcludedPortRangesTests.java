package dev.portreservation.windows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The excluded-range parser on outputs users pasted in public reports (see
 * {@code src/test/resources/netsh/README.md}): several Windows versions and languages,
 * the administered {@code *}, rows without headings, empty tables and what is not a
 * listing at all. The bytes go through the same decoding as a real run of netsh, in the
 * code page each language's console uses.
 */
class ExcludedPortRangesTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "en-github-runner-tcp.txt, 5, 80, 80, 51517, 51616, 0, 0",
			"en-github-runner-udp.txt, 2, 56030, 56129, 56130, 56229, 0, 0",
			"en-runner-administered-added.txt, 4, 80, 80, 55679, 55679, 55679, 55679",
			"en-win10-hyperv.txt, 9, 5357, 5357, 61902, 62001, 50000, 50059",
			"en-win11-localsend.txt, 11, 5985, 5985, 53386, 53485, 50000, 50059",
			"de-blog.txt, 8, 28380, 28380, 51099, 51198, 0, 0",
			"de-notes-administered.txt, 15, 5357, 5357, 60806, 60905, 50000, 50059",
			"es-wsl-rows-only.txt, 24, 1025, 1124, 50000, 50059, 0, 0",
			"es-ipv6-udp-administered.txt, 10, 50000, 50059, 50895, 50994, 50000, 50059",
			"ja-fixture.txt, 3, 5357, 5357, 55676, 55775, 50000, 50059" })
	void readsEveryRowOfARealListing(String file, int rows, int firstStart, int firstEnd, int lastStart, int lastEnd,
			int administeredStart, int administeredEnd) throws IOException {
		for (String output : asNetshPrintsIt(file)) {
			List<ExcludedPortRange> ranges = ExcludedPortRanges.parse(output);
			assertThat(ranges).as(file).hasSize(rows);
			assertThat(ranges.get(0)).isEqualTo(new ExcludedPortRange(firstStart, firstEnd,
					firstStart == administeredStart && firstEnd == administeredEnd));
			assertThat(ranges.get(rows - 1)).isEqualTo(new ExcludedPortRange(lastStart, lastEnd,
					lastStart == administeredStart && lastEnd == administeredEnd));
			List<ExcludedPortRange> administered = ranges.stream().filter(ExcludedPortRange::administered).toList();
			if (administeredStart == 0) {
				assertThat(administered).isEmpty();
			}
			else {
				assertThat(administered)
					.containsExactly(new ExcludedPortRange(administeredStart, administeredEnd, true));
			}
			assertThat(ExcludedPortRanges.isListing(output)).isTrue();
		}
	}

	@Test
	void anEmptyTableIsAListingWithoutRanges() throws IOException {
		for (String output : asNetshPrintsIt("empty-table.txt")) {
			assertThat(ExcludedPortRanges.parse(output)).isEmpty();
			assertThat(ExcludedPortRanges.isListing(output)).isTrue();
		}
	}

	@Test
	void netshsAnswerToAnUnknownCommandIsNoListing() throws IOException {
		for (String output : asNetshPrintsIt("not-a-listing.txt")) {
			assertThat(ExcludedPortRanges.parse(output)).isEmpty();
			assertThat(ExcludedPortRanges.isListing(output)).isFalse();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "\u0000\u0001\u00ff\ufffd", "70000 70001", "0 5", "500 400", "12 34 56",
			"5357 5357 **", "5357-5357", "5357 5357 x", "-5357 5357", "123456 123457", "Start Port    End Port",
			"----------    --------", "* - Administered port exclusions." })
	void garbageYieldsNoRange(String line) {
		assertThat(ExcludedPortRanges.parse(line)).isEmpty();
		assertThat(ExcludedPortRanges.parse("before\r\n" + line + "\r\nafter")).isEmpty();
	}

	@Test
	void nullAndOddLineEndsAndNoBreakSpacesAreRead() {
		assertThat(ExcludedPortRanges.parse(null)).isEmpty();
		assertThat(ExcludedPortRanges.isListing(null)).isFalse();
		assertThat(ExcludedPortRanges.parse("\u00a0 8080\u00a0\u00a08089\u00a0*\r1 1\n\t65535\t65535\t"))
			.containsExactly(new ExcludedPortRange(1, 1, false), new ExcludedPortRange(8080, 8089, true),
					new ExcludedPortRange(65535, 65535, false));
	}

	@Test
	void aRangeListedTwiceIsReadOnce() {
		assertThat(ExcludedPortRanges.parse("  50000  50059  *\n  50000  50059  *\n 80 80\n"))
			.containsExactly(new ExcludedPortRange(80, 80, false), new ExcludedPortRange(50000, 50059, true));
	}

	@Test
	void overlappingNamesTheRangesThatHoldAPortOfTheBlock() throws IOException {
		List<ExcludedPortRange> ranges = ExcludedPortRanges.parse(asNetshPrintsIt("en-win10-hyperv.txt").get(0));
		assertThat(ExcludedPortRanges.overlapping(ranges, new PortBlock(49700, 200)))
			.containsExactly(new ExcludedPortRange(49671, 49770, false), new ExcludedPortRange(49871, 49970, false));
		assertThat(ExcludedPortRanges.overlapping(ranges, new PortBlock(8080, 10))).isEmpty();
		assertThat(ExcludedPortRanges.overlapping(ranges, new PortBlock(50059, 1)))
			.containsExactly(new ExcludedPortRange(50000, 50059, true));
		assertThat(new ExcludedPortRange(50000, 50059, true).holder()).contains("administered");
		assertThat(new ExcludedPortRange(49671, 49770, false).holder())
			.contains("held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot");
	}

	@Test
	void netshIsAskedForIpv4AndIpv6AndTheRangesAreMerged() {
		List<List<String>> asked = new ArrayList<>();
		Map<String, String> answers = Map.of("ipv4", " 80 80\n 50000 50059 *\n", "ipv6", " 80 80\n 61000 61099\n");
		NetshExcludedPortRanges netsh = new NetshExcludedPortRanges((command) -> {
			asked.add(command);
			return answers.get(command.get(2));
		});
		assertThat(netsh.read(Protocol.UDP)).containsExactly(new ExcludedPortRange(80, 80, false),
				new ExcludedPortRange(50000, 50059, true), new ExcludedPortRange(61000, 61099, false));
		assertThat(asked).containsExactly(
				List.of("netsh", "interface", "ipv4", "show", "excludedportrange", "protocol=udp"),
				List.of("netsh", "interface", "ipv6", "show", "excludedportrange", "protocol=udp"));
		assertThat(new NetshExcludedPortRanges((command) -> null).read(Protocol.TCP)).isEmpty();
	}

	/**
	 * The file as netsh would print it in its language's console code page, with Windows
	 * line ends and with Unix ones, decoded byte for byte as
	 * {@link NetshExcludedPortRanges} decodes it.
	 */
	private static List<String> asNetshPrintsIt(String file) throws IOException {
		String text;
		try (InputStream in = ExcludedPortRangesTests.class.getResourceAsStream("/netsh/" + file)) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Charset console = file.startsWith("ja") ? Charset.forName("Shift_JIS")
				: file.startsWith("de") || file.startsWith("es") ? Charset.forName("IBM850")
						: StandardCharsets.US_ASCII;
		List<String> outputs = new ArrayList<>();
		for (String lines : List.of(text.replace("\n", "\r\n"), text)) {
			outputs.add(new String(lines.getBytes(console), StandardCharsets.ISO_8859_1));
			outputs.add(new String(lines.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
		}
		return outputs;
	}

}
