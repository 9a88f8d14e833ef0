package dev.portreservation.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortReservation;

/**
 * Real channels on the loopback address bound through a reservation, closed together at
 * the end of a test.
 */
public final class ReservationSockets implements AutoCloseable {

	private final List<Channel> channels = new ArrayList<>();

	/**
	 * @param reservation a TCP reservation
	 * @param owner the owner label
	 * @return the open, bound channel
	 */
	public ServerSocketChannel bindServer(PortReservation reservation, String owner) {
		try {
			ServerSocketChannel channel = ServerSocketChannel.open();
			this.channels.add(channel);
			reservation.bind(channel, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, owner);
			return channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param reservation a UDP reservation
	 * @param owner the owner label
	 * @return the open, bound channel
	 */
	public DatagramChannel bindDatagram(PortReservation reservation, String owner) {
		try {
			DatagramChannel channel = DatagramChannel.open();
			this.channels.add(channel);
			reservation.bind(channel, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), owner);
			return channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Binds server channels until every port of the block is taken.
	 * @param reservation a TCP reservation
	 * @param owner the owner label
	 */
	public void fill(PortReservation reservation, String owner) {
		while (reservation.portsFree() > 0) {
			bindServer(reservation, owner);
		}
	}

	/**
	 * @param channel a channel to close now
	 */
	public static void close(Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.channels.forEach(ReservationSockets::close);
	}

}
