package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Run as another user by the enforcement tests: tries to take ports the way any program
 * could, and prints what it got. Depends on the JDK only, so it runs from a copy of its
 * class file readable by that user.
 * <ul>
 * <li>{@code explicit <tcp|udp> <first> <count>}: binds every port of the range on
 * {@code 0.0.0.0}, {@code 127.0.0.1}, {@code ::} and {@code ::1}, with no option,
 * {@code SO_REUSEADDR}, {@code SO_REUSEPORT} and both; TCP both listening and bound-only.
 * Prints {@code attempts N bound M} and one line per success.</li>
 * <li>{@code automatic <tcp|udp> <max>}: binds up to {@code max} sockets to port 0 on
 * 127.0.0.1, keeping them open, and prints every port the kernel chose
 * ({@code auto P}).</li>
 * </ul>
 */
public final class ForeignBinds {

	private static final String[] ADDRESSES = { "0.0.0.0", "127.0.0.1", "::", "::1" };

	private ForeignBinds() {
	}

	public static void main(String[] args) throws Exception {
		boolean tcp = "tcp".equals(args[1]);
		if ("automatic".equals(args[0])) {
			automatic(tcp, Integer.parseInt(args[2]));
		}
		else {
			explicit(tcp, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
		}
	}

	private static void explicit(boolean tcp, int first, int count) throws IOException {
		int attempts = 0;
		int bound = 0;
		for (int port = first; port < first + count; port++) {
			for (String text : ADDRESSES) {
				InetAddress address = InetAddress.getByName(text);
				for (int options = 0; options < 4; options++) {
					for (int kind = 0; kind < (tcp ? 2 : 1); kind++) {
						attempts++;
						try (NetworkChannel channel = open(tcp, kind)) {
							channel.setOption(StandardSocketOptions.SO_REUSEADDR, (options & 1) != 0);
							channel.setOption(StandardSocketOptions.SO_REUSEPORT, (options & 2) != 0);
							channel.bind(new InetSocketAddress(address, port));
							bound++;
							System.out.println("bound " + text + " " + port + " options=" + options + " kind=" + kind);
						}
						catch (IOException | RuntimeException ex) {
							// Refused: the outcome the enforcement promises.
						}
					}
				}
			}
		}
		System.out.println("attempts " + attempts + " bound " + bound);
	}

	private static void automatic(boolean tcp, int max) throws IOException {
		List<NetworkChannel> open = new ArrayList<>();
		try {
			for (int i = 0; i < max; i++) {
				NetworkChannel channel = open(tcp, 0);
				try {
					channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
				}
				catch (IOException ex) {
					channel.close();
					break;
				}
				open.add(channel);
				System.out.println("auto " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
			}
		}
		finally {
			for (NetworkChannel channel : open) {
				channel.close();
			}
		}
		System.out.println("done");
	}

	private static NetworkChannel open(boolean tcp, int kind) throws IOException {
		if (!tcp) {
			return DatagramChannel.open();
		}
		return (kind == 0) ? ServerSocketChannel.open() : SocketChannel.open();
	}

}
