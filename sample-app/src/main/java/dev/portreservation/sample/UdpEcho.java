package dev.portreservation.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

import dev.portreservation.core.PortReservation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Echoes every datagram back to its sender, on a port of the UDP block bound through the
 * programmatic API
 * ({@link PortReservation#bind(DatagramChannel, InetSocketAddress, String)}), owner
 * {@code "udp-echo"}. Started after the context is refreshed, so the bind shows in the
 * metrics.
 */
public class UdpEcho implements SmartLifecycle {

	/** The owner label of the echo's lease. */
	public static final String OWNER = "udp-echo";

	private static final Log logger = LogFactory.getLog(UdpEcho.class);

	private final PortReservation reservation;

	private volatile DatagramChannel channel;

	private volatile Thread worker;

	UdpEcho(PortReservation reservation) {
		this.reservation = reservation;
	}

	@Override
	public void start() {
		try {
			DatagramChannel opened = DatagramChannel.open();
			try {
				this.reservation.bind(opened, new InetSocketAddress(0), OWNER);
			}
			catch (RuntimeException ex) {
				opened.close();
				throw ex;
			}
			this.channel = opened;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not open the UDP echo channel", ex);
		}
		Thread thread = new Thread(this::echo, "udp-echo");
		thread.setDaemon(true);
		thread.start();
		this.worker = thread;
		logger.info("UDP echo listening on port " + port());
	}

	@Override
	public void stop() {
		DatagramChannel current = this.channel;
		this.channel = null;
		if (current != null) {
			try {
				// Closing wakes the blocked receive; the worker then ends.
				current.close();
			}
			catch (IOException ex) {
				logger.warn("Closing the UDP echo channel failed", ex);
			}
		}
		Thread thread = this.worker;
		if (thread != null) {
			try {
				thread.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		DatagramChannel current = this.channel;
		return current != null && current.isOpen();
	}

	/**
	 * @return the port the echo listens on, or -1 when it is not running
	 */
	public int port() {
		DatagramChannel current = this.channel;
		return (current != null) ? current.socket().getLocalPort() : -1;
	}

	private void echo() {
		ByteBuffer buffer = ByteBuffer.allocate(2048);
		DatagramChannel current = this.channel;
		while (current != null && current.isOpen()) {
			try {
				buffer.clear();
				SocketAddress sender = current.receive(buffer);
				buffer.flip();
				current.send(buffer, sender);
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("UDP echo failed to answer a datagram", ex);
			}
		}
	}

}
