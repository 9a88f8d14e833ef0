package dev.portreservation.linux;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A live socket of another process on a port is a holder, never a leftover: the hold
 * fails {@code CONFLICT} naming it, whether it belongs to another real user (bound only,
 * with {@code SO_REUSEADDR}, so the holder's bind beside leftovers used to succeed beside
 * it) or to another process of this user that holds the block without sharing this
 * process's lock (another runtime directory). And holds over leftovers while another user
 * keeps binding with {@code SO_REUSEADDR} + {@code SO_REUSEPORT} never leave that user
 * able to listen.
 */
class StrangerSocketHoldTests {

	private static final List<String> ADDRESSES = Attacker.EVERY_ADDRESS;

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@Test
	void anotherUsersBoundSocketIsALiveHolderNotALeftover() throws Exception {
		long uid = ThrowawayUser.ensure(Attacker.USER).uid();
		List<String> heldBeside = new ArrayList<>();
		int bound = 0;
		int named = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (String address : ADDRESSES) {
				for (int options = 0; options < 4; options++) {
					int port = FreeBlocks.free(this.backend, 1).startPort();
					if (!attacker.bind("tcp", address, port, (options & 1) != 0, (options & 2) != 0)) {
						continue;
					}
					bound++;
					PortReservationException conflict = null;
					try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP,
							new PortBlock(port, 1))) {
						heldBeside.add(address + ":" + port + " options " + options);
					}
					catch (PortReservationException ex) {
						conflict = ex;
					}
					if (conflict != null && conflict.getReason() == Reason.CONFLICT
							&& conflict.getHolders().stream().anyMatch((holder) -> holder.uid() == uid)) {
						named++;
					}
					attacker.closeSockets();
				}
			}
		}
		System.out.println("Another user's bound socket: " + bound + " bound first, " + heldBeside.size()
				+ " held beside it, " + named + " CONFLICT naming uid " + uid);
		assertThat(heldBeside).as("holds that succeeded beside another user's bound socket (of " + bound + ")")
			.isEmpty();
		assertThat(named).as("CONFLICTs naming the other user").isEqualTo(bound);
	}

	@Test
	void aSecondProcessWithAnotherRuntimeDirectoryCannotHoldALentBlock() throws Exception {
		Path first = Files.createTempDirectory("prh1-rt");
		Path second = Files.createTempDirectory("prh1-rt");
		PortBlock block = FreeBlocks.free(this.backend, 1);
		try (WorkerProcess holder = WorkerProcess.start(null, "-D" + RuntimeDirectory.PROPERTY + "=" + first);
				WorkerProcess intruder = WorkerProcess.start(null, "-D" + RuntimeDirectory.PROPERTY + "=" + second)) {
			assertThat(holder.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("HELD");
			assertThat(holder.send("lend partner")).startsWith("LENT");
			String answer = intruder.send("hold tcp " + block.startPort() + " " + block.count());
			assertThat(answer).as("a second process holding the first one's lent block").startsWith("FAILED CONFLICT");
			assertThat(answer).contains("pid " + holder.pid());
			assertThat(intruder.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("FAILED");
		}
	}

	@Test
	void holdsOverLeftoversWhileAnotherUserSeedsNeverLetItListen() throws Exception {
		int rounds = 150;
		int held = 0;
		int heldThenListened = 0;
		long listens = 0;
		try (Attacker attacker = Attacker.otherUser()) {
			for (int round = 0; round < rounds; round++) {
				int port = FreeBlocks.free(this.backend, 1).startPort();
				leaveTimeWait(port);
				attacker.seeding(port, true);
				PortReservation reservation = null;
				try {
					reservation = this.backend.acquireRuntime(Protocol.TCP, new PortBlock(port, 1));
				}
				catch (PortReservationException ex) {
					// A seed was bound at that moment: a live socket of another user.
					assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				}
				attacker.seeding(port, false);
				if (reservation == null) {
					continue;
				}
				held++;
				int listened = 0;
				for (String address : ADDRESSES) {
					if (attacker.bind("tcp-listen", address, port, false, true)) {
						listened++;
					}
				}
				attacker.closeSockets();
				reservation.close();
				listens += listened;
				heldThenListened += (listened > 0) ? 1 : 0;
			}
		}
		System.out.println("Holds over TIME_WAIT leftovers while another user seeds: " + rounds + " rounds, " + held
				+ " held, the other user listened in " + heldThenListened + " (" + listens + " listens)");
		assertThat(held).as("holds over leftovers").isPositive();
		assertThat(heldThenListened).as("holds in which the other user listened (of " + held + ")").isZero();
	}

	/**
	 * A plain server (SO_REUSEADDR, as every JDK server) on the port closes its end of a
	 * loopback connection first: its end stays in TIME_WAIT, the listener is closed.
	 */
	private static void leaveTimeWait(int port) throws Exception {
		try (ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
				SocketChannel accepted = server.accept();
				accepted.close();
				client.read(ByteBuffer.allocate(1));
			}
		}
	}

}
