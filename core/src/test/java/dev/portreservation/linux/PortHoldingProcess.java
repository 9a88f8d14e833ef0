package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process that has ports the way other software does, for the holder-naming
 * tests. It depends on nothing but the JDK, so it also runs as another user who cannot
 * read the build's class path.
 * <p>
 * Arguments, one per socket: {@code tcp-listen/<address>/<port>},
 * {@code udp/<address>/<port>}, {@code tcp-connected/<port>} (a connection whose local
 * port is {@code port}, to a listener of its own). Prints {@code READY <pid>} once every
 * socket is in place, then waits until its standard input closes.
 */
public final class PortHoldingProcess {

	private PortHoldingProcess() {
	}

	/**
	 * Start this class in a JVM of its own from core's test classes (so from core's
	 * tests), its error output on the test's, and wait until it has every socket.
	 * @param sockets one argument per socket, as {@link #main(String[])} takes them
	 * @return the process, holding its sockets; the caller ends it
	 * @throws IOException when the process cannot be started or read
	 * @throws AssertionError when it does not report {@code READY <pid>} (it is then
	 * killed)
	 */
	public static Process startReady(String... sockets) throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				Path.of("target", "test-classes").toAbsolutePath().toString(), PortHoldingProcess.class.getName()));
		command.addAll(List.of(sockets));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		if (!("READY " + process.pid()).equals(ready)) {
			process.destroyForcibly();
			throw new AssertionError(
					"expected \"READY " + process.pid() + "\" from PortHoldingProcess, got \"" + ready + "\"");
		}
		return process;
	}

	public static void main(String[] args) throws IOException {
		List<NetworkChannel> open = new ArrayList<>();
		for (String spec : args) {
			String[] parts = spec.split("/");
			switch (parts[0]) {
				case "tcp-listen" -> open.add(ServerSocketChannel.open()
					.bind(new InetSocketAddress(InetAddress.getByName(parts[1]), Integer.parseInt(parts[2]))));
				case "udp" -> open.add(DatagramChannel.open()
					.bind(new InetSocketAddress(InetAddress.getByName(parts[1]), Integer.parseInt(parts[2]))));
				case "tcp-connected" -> {
					InetAddress loopback = InetAddress.getByName("127.0.0.1");
					ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
					SocketChannel client = SocketChannel.open()
						.bind(new InetSocketAddress(loopback, Integer.parseInt(parts[1])));
					client.connect(server.getLocalAddress());
					open.add(server);
					open.add(client);
					open.add(server.accept());
				}
				default -> throw new IllegalArgumentException("unknown socket " + spec);
			}
		}
		System.out.println("READY " + ProcessHandle.current().pid());
		System.out.flush();
		while (System.in.read() >= 0) {
			// Hold the sockets until the test closes our input or kills us.
		}
		for (NetworkChannel channel : open) {
			channel.close();
		}
	}

}
