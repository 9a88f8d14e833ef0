package dev.portreservation.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.DisposableBean;

/**
 * UDP ports the app binds from its block on demand, and closes on demand: what the
 * {@code /udp/ports} endpoints do, so that a caller can watch the metrics, the endpoint
 * and health follow.
 */
public class UdpPorts implements DisposableBean {

	/** The owner label of ports bound on demand. */
	public static final String OWNER = "udp-on-demand";

	private final PortReservation reservation;

	private final Map<Integer, DatagramChannel> channels = new ConcurrentSkipListMap<>();

	UdpPorts(PortReservation reservation) {
		this.reservation = reservation;
	}

	/**
	 * Binds a new datagram channel to a free port of the block.
	 * @return the port
	 * @throws dev.portreservation.core.PortReservationException when the block is
	 * exhausted
	 * @throws IOException when the channel cannot be opened
	 */
	public int bind() throws IOException {
		DatagramChannel channel = DatagramChannel.open();
		try {
			int port = this.reservation.bind(channel, new InetSocketAddress(0), OWNER);
			this.channels.put(port, channel);
			return port;
		}
		catch (RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Closes the channel bound to a port, which returns the port to the block.
	 * @param port a port bound by {@link #bind()}
	 * @return whether there was such a channel
	 * @throws IOException when closing fails
	 */
	public boolean release(int port) throws IOException {
		DatagramChannel channel = this.channels.remove(port);
		if (channel == null) {
			return false;
		}
		channel.close();
		// Shows the release in the meters and health at once, not at the library's next
		// scheduled refresh.
		this.reservation.refresh();
		return true;
	}

	/**
	 * @return the ports bound on demand, in order
	 */
	public List<Integer> ports() {
		return new ArrayList<>(this.channels.keySet());
	}

	@Override
	public void destroy() throws IOException {
		for (Integer port : ports()) {
			release(port);
		}
	}

}
