package dev.portreservation.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trip of {@link HolderRecordFormat} against {@code .holders} files the registry's
 * writer produced before the format had one home (captured by
 * {@link HolderRecordFixtureWriter}, in a process whose command line has the characters
 * {@link java.util.Properties} escapes): reading them gives the fields that were written,
 * and writing those fields again gives the same bytes.
 */
class HolderRecordFixturesTests {

	@ParameterizedTest
	@ValueSource(strings = { "one-block.holders", "blocks-and-leases.holders" })
	void aCapturedFileReadsAndWritesBackByteForByte(String name) throws IOException {
		String captured = fixture(name);
		HolderRecords.Record record = HolderRecordFormat.read(captured);
		assertThat(record.command()).startsWith("java -Dportreservation.fixture=a:b=c ")
			.endsWith(" arg with  spaces \uFFFD\uFFFD=\uFFFD\uFFFD:\\x #not a comment");
		assertThat(record.blocks()).first()
			.isEqualTo(new HolderRecords.Block(Protocol.TCP, new PortBlock(40000, 8), ReservationKind.RUNTIME));
		String startTime = captured.lines()
			.filter((line) -> line.startsWith("starttime="))
			.findFirst()
			.orElseThrow()
			.substring("starttime=".length());
		assertThat(HolderRecordFormat.write(record.pid(), startTime, record.command(), record.uid(), held(record)))
			.isEqualTo(captured);
	}

	@ParameterizedTest
	@ValueSource(strings = { "blocks-and-leases.holders" })
	void leaseLinesNameTheirOwnersWithEveryEscapedCharacter(String name) throws IOException {
		HolderRecords.Record record = HolderRecordFormat.read(fixture(name));
		assertThat(record.blocks()).extracting(HolderRecordFormat::format)
			.containsExactly("tcp 40000 8 runtime", "udp 41000 4 persistent");
		assertThat(record.leaseOwner(Protocol.TCP, 40001)).isEqualTo("partner");
		assertThat(record.leaseOwner(Protocol.TCP, 40003)).isEqualTo("web server: main=1 \\ \u00e9");
		assertThat(record.leaseOwner(Protocol.UDP, 41002)).isEqualTo("dns");
		assertThat(record.leaseOwner(Protocol.UDP, 40001)).isNull();
	}

	/** The leases of each block, in the order the file lists them. */
	private static List<HolderRecordFormat.HeldBlock> held(HolderRecords.Record record) {
		List<HolderRecordFormat.HeldBlock> held = new ArrayList<>();
		for (HolderRecords.Block block : record.blocks()) {
			List<HolderRecords.Lease> leases = new ArrayList<>();
			for (HolderRecords.Lease lease : record.leases()) {
				if (lease.protocol() == block.protocol() && block.block().contains(lease.port())) {
					leases.add(lease);
				}
			}
			held.add(new HolderRecordFormat.HeldBlock(block, leases));
		}
		return held;
	}

	private static String fixture(String name) throws IOException {
		try (InputStream in = HolderRecordFixturesTests.class.getResourceAsStream("holders/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
