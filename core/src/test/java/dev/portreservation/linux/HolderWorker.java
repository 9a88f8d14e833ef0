package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;

/**
 * A second process for the runtime-holder tests, driven line by line on standard input,
 * one answer line per command on standard output:
 * <ul>
 * <li>{@code hold <tcp|udp> <startPort> <count>}: {@code HELD <pid>} or
 * {@code FAILED <reason> <message>};</li>
 * <li>{@code serve <port> <connections>}: binds a server channel through the held TCP
 * block on the port (prints {@code SERVING}), accepts that many connections, closes each
 * at once (the server closes first), then closes the server channel and prints
 * {@code CLOSED}; the block stays held;</li>
 * <li>{@code lend <name>}: lends a port of the first held block to that name, prints
 * {@code LENT <port>};</li>
 * <li>{@code return}: gives every lent port back, prints {@code RETURNED};</li>
 * <li>{@code release}: closes every reservation, prints {@code RELEASED}.</li>
 * </ul>
 * End of input ends the process normally (shutdown hooks run).
 */
public final class HolderWorker {

	private HolderWorker() {
	}

	public static void main(String[] args) throws Exception {
		LinuxPortReservations backend = new LinuxPortReservations();
		List<PortReservation> held = new ArrayList<>();
		List<LentPort> lent = new ArrayList<>();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.strip().split(" ");
			switch (words[0]) {
				case "hold" -> {
					Protocol protocol = Protocol.valueOf(words[1].toUpperCase(Locale.ROOT));
					PortBlock block = new PortBlock(Integer.parseInt(words[2]), Integer.parseInt(words[3]));
					try {
						held.add(backend.acquireRuntime(protocol, block));
						answer("HELD " + ProcessHandle.current().pid());
					}
					catch (PortReservationException ex) {
						answer("FAILED " + ex.getReason() + " " + ex.getMessage());
					}
				}
				case "serve" -> serve(held, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
				case "lend" -> {
					LentPort port = held.get(0).lend(words[1]);
					lent.add(port);
					answer("LENT " + port.port());
				}
				case "return" -> {
					lent.forEach(LentPort::close);
					lent.clear();
					answer("RETURNED");
				}
				case "release" -> {
					held.forEach(PortReservation::close);
					held.clear();
					answer("RELEASED");
				}
				default -> answer("UNKNOWN " + line);
			}
		}
	}

	private static void serve(List<PortReservation> held, int port, int connections) throws Exception {
		PortReservation reservation = held.stream()
			.filter((candidate) -> candidate.protocol() == Protocol.TCP && candidate.block().contains(port))
			.findFirst()
			.orElseThrow();
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			reservation.bind(server, new InetSocketAddress(port), 0, "worker");
			answer("SERVING");
			for (int i = 0; i < connections; i++) {
				SocketChannel accepted = server.accept();
				accepted.close();
			}
		}
		answer("CLOSED");
	}

	private static void answer(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
