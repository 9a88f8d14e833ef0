package example;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * What the README promises a plain-Java user: reserve a runtime block for this platform and bind a server channel
 * through it. Exits non-zero when the port is not inside the block.
 */
public final class ConsumerCheck {

	private ConsumerCheck() {
	}

	public static void main(String[] args) throws Exception {
		PortReservations backend = PortReservations.forCurrentPlatform();
		try (PortReservation reservation = backend.acquireRuntime(Protocol.TCP, 4);
				ServerSocketChannel server = ServerSocketChannel.open()) {
			int port = reservation.bind(server, InetAddress.getLoopbackAddress(), 0);
			PortBlock block = reservation.block();
			int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
			System.out.println("consumer check: " + backend.getClass().getSimpleName() + ", block " + block
					+ ", server channel bound to port " + bound);
			if (port != bound || !block.contains(bound)) {
				System.err.println("consumer check: port " + bound + " is not the reported port " + port
						+ " inside block " + block);
				System.exit(1);
			}
		}
	}

}
