package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * A process, started with a low {@code ulimit -n}, whose runtime UDP block has a port
 * that cannot be held again because no file descriptor is left. Steering is refused (see
 * {@link UnheldPorts}), so the port's holder was given up to a wildcard-bound channel.
 * <p>
 * Output, one line per step, with the test's answers on standard input in between:
 * {@code PORT <port>}; {@code UNHELD <ports>} (a same-user socket keeps the port);
 * {@code EXHAUSTED <n>} (every descriptor taken, the same-user socket closed); after two
 * scheduled retries {@code STILL <unheld ports>}; then, once the test writes
 * {@code FREE}, 16 descriptors are given back and
 * {@code REHELD <unheld ports> <held ports>} follows once the scheduled retry held the
 * port again (or 10 s passed).
 */
public final class FdExhaustionProbe {

	private FdExhaustionProbe() {
	}

	public static void main(String[] args) throws Exception {
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in));
		PortBlock block = FreeBlocks.free(new LinuxPortReservations(), 2);
		RuntimeBlockReservation reservation = UnheldPorts.runtimeUdpWithoutSteering(block);
		DatagramChannel sameUser = UnheldPorts.leaveAPortUnheld(reservation);
		int port = ((InetSocketAddress) sameUser.getLocalAddress()).getPort();
		// Every code path used below runs once while descriptors are left, so no class is
		// loaded after.
		reservation.refresh();
		say("PORT " + port);
		say("UNHELD " + reservation.unheldPorts() + " " + reservation.heldPorts());
		List<DatagramChannel> spare = exhaust();
		sameUser.close();
		spare.addAll(exhaust());
		say("EXHAUSTED " + spare.size());
		reservation.refresh();
		// The library's own retries: two rounds of the scheduled refresh.
		Thread.sleep(2500);
		say("STILL " + reservation.unheldPorts());
		if (!"FREE".equals(input.readLine())) {
			return;
		}
		for (int i = 0; i < 16; i++) {
			spare.remove(spare.size() - 1).close();
		}
		for (int i = 0; i < 100 && !reservation.unheldPorts().isEmpty(); i++) {
			Thread.sleep(100);
		}
		say("REHELD " + reservation.unheldPorts() + " " + reservation.heldPorts());
		while (input.readLine() != null) {
			// Keep the block until the test is done.
		}
		reservation.close();
	}

	private static List<DatagramChannel> exhaust() {
		List<DatagramChannel> taken = new ArrayList<>();
		while (true) {
			try {
				taken.add(DatagramChannel.open());
			}
			catch (IOException ex) {
				return taken;
			}
		}
	}

	private static void say(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
