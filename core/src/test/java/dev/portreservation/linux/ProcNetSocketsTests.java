package dev.portreservation.linux;

import java.nio.ByteOrder;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Parsing {@code /proc/net/{tcp,tcp6,udp}} lines as a little-endian kernel prints them
 * (proc_net_tcp(5)).
 */
class ProcNetSocketsTests {

	private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
			+ "   uid  timeout inode\n";

	@Test
	void addressesPortsStatesUidsAndInodesAreRead() {
		assumeThat(ByteOrder.nativeOrder()).as("the sample lines are a little-endian kernel's")
			.isEqualTo(ByteOrder.LITTLE_ENDIAN);
		String tcp = HEADER
				+ "   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0\n"
				+ "   1: 0100007F:9C41 0100007F:D431 06 00000000:00000000 03:00000D0F 00000000     0        0 0 3 0\n"
				+ "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0\n";
		assertThat(ProcNetSockets.parse(Protocol.TCP, tcp, new PortBlock(40000, 2))).containsExactly(
				new ProcNetSockets.Entry(Protocol.TCP, "127.0.0.1", 40000, "LISTEN", 1000, 4242),
				new ProcNetSockets.Entry(Protocol.TCP, "127.0.0.1", 40001, "TIME_WAIT", 0, 0));
		String tcp6 = HEADER + "   0: 00000000000000000000000001000000:9C40 00000000000000000000000000000000:0000 0A "
				+ "00000000:00000000 00:00000000 00000000   995        0 77 1 0\n"
				+ "   1: 0000000000000000FFFF00000100007F:9C40 00000000000000000000000000000000:0000 0A "
				+ "00000000:00000000 00:00000000 00000000   995        0 78 1 0\n"
				+ "   2: 00000000000000000000000000000000:9C40 00000000000000000000000000000000:0000 0A "
				+ "00000000:00000000 00:00000000 00000000   995        0 79 1 0\n";
		assertThat(ProcNetSockets.parse(Protocol.TCP, tcp6, new PortBlock(40000, 1)))
			.extracting(ProcNetSockets.Entry::localAddress)
			.containsExactly("::1", "127.0.0.1", "::");
		String udp = HEADER
				+ "  10: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 99 2 0 0\n"
				+ "  11: 0100007F:9C41 0100007F:0035 01 00000000:00000000 00:00000000 00000000  1000        0 98 2 0 0\n";
		assertThat(ProcNetSockets.parse(Protocol.UDP, udp, new PortBlock(40000, 2)))
			.extracting(ProcNetSockets.Entry::state)
			.containsExactly("BOUND", "ESTABLISHED");
	}

	@Test
	void linesOfAnUnknownFormatAreLeftOut() {
		assertThat(ProcNetSockets.parse(Protocol.TCP, HEADER + "   0: nonsense 00000000:0000 0A a b c d e f\ngarbage\n",
				new PortBlock(1, 65535)))
			.isEmpty();
	}

}
