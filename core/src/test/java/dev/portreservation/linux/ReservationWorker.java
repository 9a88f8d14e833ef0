package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;

/**
 * A separate process for the multi-process tests: reserves a block, binds one listening
 * socket through it, prints one line saying what happened, then waits until its standard
 * input closes (or it is killed).
 * <p>
 * Arguments: {@code persistent|runtime <stateDirectory> <startPort> <count>}. Output:
 * {@code BOUND <port>
 * <created>}, {@code HELD <block>} for a runtime block, or {@code FAILED <reason>}.
 */
public final class ReservationWorker {

	private ReservationWorker() {
	}

	public static void main(String[] args) throws IOException {
		boolean persistent = "persistent".equals(args[0]);
		LinuxPortReservations backend = new LinuxPortReservations(Path.of(args[1]));
		PortBlock block = new PortBlock(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
		try {
			PortReservation reservation = persistent ? backend.lookupOrCreatePersistent(Protocol.TCP, block)
					: backend.acquireRuntime(Protocol.TCP, block);
			if (persistent) {
				ServerSocketChannel channel = ServerSocketChannel.open();
				int port = reservation.bind(channel, InetAddress.getLoopbackAddress(), 0);
				System.out.println("BOUND " + port + " " + reservation.createdByThisProcess());
			}
			else {
				System.out.println("HELD " + reservation.block());
			}
		}
		catch (PortReservationException ex) {
			System.out.println("FAILED " + ex.getReason() + " " + ex.getMessage());
			System.exit(3);
		}
		System.out.flush();
		// Hold everything until the test closes our input or kills us.
		while (System.in.read() >= 0) {
			// Nothing is expected on stdin; reading only waits for its end.
		}
	}

}
