package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

/**
 * Builds the one real situation in which a runtime UDP block has a port it does not hold:
 * steering is impossible (the stand-in below answers as a kernel or JVM without it
 * would), so a wildcard-bound channel gets the port alone, and a socket of the same user
 * joins it with {@code SO_REUSEPORT} and keeps the port after the channel closes.
 */
public final class UnheldPorts {

	/**
	 * The native boundary answering as a JVM that cannot read socket descriptors would.
	 */
	static final DatagramSteering STEERING_REFUSED = DatagramSteering
		.unavailable("stand-in for a JVM without access to socket descriptors");

	private UnheldPorts() {
	}

	/**
	 * @param block a free block
	 * @return a runtime UDP reservation of it whose UDP holders cannot steer datagrams
	 */
	public static PortReservation udpWithoutSteering(PortBlock block) {
		return runtimeUdpWithoutSteering(block);
	}

	/**
	 * @param block a free block
	 * @return a runtime UDP reservation of it whose UDP holders cannot steer datagrams,
	 * as the Linux backend's own type (for the tests that look at its holders)
	 */
	static RuntimeBlockReservation runtimeUdpWithoutSteering(PortBlock block) {
		return RuntimeBlockReservation.hold(new LinuxPortReservations(), Protocol.UDP, block, 1, () -> {
		}, true, STEERING_REFUSED);
	}

	/**
	 * @param count the block's size
	 * @return a runtime UDP reservation of a free block whose UDP holders cannot steer
	 * datagrams
	 */
	public static PortReservation udpWithoutSteering(int count) {
		return udpWithoutSteering(FreeBlocks.free(new LinuxPortReservations(), count));
	}

	/**
	 * Binds a wildcard channel through the reservation, lets a same-user socket join it,
	 * closes the channel and refreshes: the port is then unheld until the returned socket
	 * is closed and the reservation refreshed again.
	 * @param reservation a reservation from {@link #udpWithoutSteering}
	 * @return the same-user socket that keeps the port
	 * @throws IOException when a socket fails
	 */
	public static DatagramChannel leaveAPortUnheld(PortReservation reservation) throws IOException {
		int port;
		try (DatagramChannel channel = DatagramChannel.open()) {
			port = reservation.bind(channel, new InetSocketAddress(0), "left");
			DatagramChannel sameUser = joinWithReusePort(port);
			channel.close();
			reservation.refresh();
			return sameUser;
		}
	}

	/**
	 * @param port a port a channel of this user has bound to the wildcard address with
	 * {@code SO_REUSEPORT}
	 * @return a socket of the same user bound next to it
	 * @throws IOException when the bind fails
	 */
	static DatagramChannel joinWithReusePort(int port) throws IOException {
		DatagramChannel sameUser = DatagramChannel.open();
		sameUser.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		return sameUser.bind(new InetSocketAddress(port));
	}

}
