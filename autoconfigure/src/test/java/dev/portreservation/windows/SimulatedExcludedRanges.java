package dev.portreservation.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.portreservation.core.PortBlock;

/**
 * Windows' excluded port ranges for tests of the Spring integration: the only stand-in is
 * netsh's output (the native boundary), either a listing users pasted in public reports
 * ({@code core/src/test/resources/netsh}) or one in the layout of
 * {@code en-github-runner-tcp.txt} with the rows a test needs; everything above it (the
 * parser, the backend on the Windows API simulator, health, the endpoint) is real.
 */
public final class SimulatedExcludedRanges {

	private final List<ExcludedPortRange> rows = new CopyOnWriteArrayList<>();

	private final AtomicInteger runs = new AtomicInteger();

	/**
	 * @return what netsh prints for the rows listed so far (IPv4 and IPv6 alike),
	 * counting each run
	 */
	public NetshExcludedPortRanges netsh() {
		return new NetshExcludedPortRanges((command) -> {
			this.runs.incrementAndGet();
			return listing(this.rows);
		});
	}

	/**
	 * @param range a row netsh lists from now on
	 * @return this
	 */
	public SimulatedExcludedRanges list(ExcludedPortRange range) {
		this.rows.add(range);
		return this;
	}

	/**
	 * @param block ports the system holds (a runtime-style row, without {@code *})
	 * @return the row
	 */
	public static ExcludedPortRange system(PortBlock block) {
		return new ExcludedPortRange(block.startPort(), block.endPort(), false);
	}

	/**
	 * @param block an administered exclusion (a row with {@code *})
	 * @return the row
	 */
	public static ExcludedPortRange administered(PortBlock block) {
		return new ExcludedPortRange(block.startPort(), block.endPort(), true);
	}

	/**
	 * @return how many times netsh ran
	 */
	public int runs() {
		return this.runs.get();
	}

	/**
	 * @param excluded where the backend reads the excluded ranges
	 * @return the Windows backend on the simulator, reading the ranges there
	 */
	public static WindowsPortReservations backend(ExcludedPortRanges.Source excluded) {
		return new WindowsPortReservations(WindowsSimulator.winSock(), WindowsSimulator.ipHelper(),
				ChannelHandles.forThisJvm(), new WindowsPortHolders(WindowsSimulator.LIBRARY.toString()), excluded);
	}

	/**
	 * @param file a listing in {@code core/src/test/resources/netsh}
	 * @return a netsh that prints it for every command
	 */
	public static NetshExcludedPortRanges fixture(String file) {
		String output;
		try (InputStream in = SimulatedExcludedRanges.class.getResourceAsStream("/netsh/" + file)) {
			if (in == null) {
				throw new IllegalStateException("No netsh fixture " + file + " on the class path");
			}
			output = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new NetshExcludedPortRanges((command) -> output);
	}

	private static String listing(List<ExcludedPortRange> rows) {
		StringBuilder out = new StringBuilder("\r\nProtocol tcp Port Exclusion Ranges\r\n\r\n"
				+ "Start Port    End Port      \r\n----------    --------      \r\n");
		for (ExcludedPortRange row : rows) {
			out.append(String.format("%10d  %10d     %s\r\n", row.start(), row.end(), row.administered() ? "*" : ""));
		}
		return out.append("\r\n* - Administered port exclusions.\r\n\r\n").toString();
	}

}
