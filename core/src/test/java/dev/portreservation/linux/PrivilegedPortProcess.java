package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.portable.PortablePortReservations;

/**
 * Run as an unprivileged user by {@link PrivilegedPortBindTests}: binds through a
 * portable block of privileged ports, once for any port and once per port, and prints the
 * reason of each failure ({@code reason <port asked> <REASON> <native code>}).
 */
public final class PrivilegedPortProcess {

	private PrivilegedPortProcess() {
	}

	public static void main(String[] args) throws Exception {
		PortBlock block = PortBlock.parse(args[0]);
		try (PortReservation reservation = new PortablePortReservations()
			.acquireRuntime(dev.portreservation.core.Protocol.TCP, block)) {
			for (int asked = block.startPort() - 1; asked <= block.endPort(); asked++) {
				int port = (asked < block.startPort()) ? 0 : asked;
				try (ServerSocketChannel channel = ServerSocketChannel.open()) {
					reservation.bind(channel, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0, "x");
					System.out.println("bound " + port);
				}
				catch (PortReservationException ex) {
					System.out.println("reason " + port + " " + ex.getReason() + " "
							+ ex.getNativeCode().map(String::valueOf).orElse("-"));
				}
			}
		}
	}

}
