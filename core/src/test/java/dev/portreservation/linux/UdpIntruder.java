package dev.portreservation.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Tries to bind UDP ports the way another program might: on {@code 0.0.0.0}, {@code 127.0.0.1}, {@code ::}
 * and {@code ::1} with a dual-stack socket, on {@code 0.0.0.0} and {@code 127.0.0.1} with an IPv4 socket, each
 * plain, with {@code SO_REUSEADDR}, with {@code SO_REUSEPORT} and with both. JDK only, so that it runs as a
 * throwaway user from a copy of its class file.
 * <p>
 * As a process: {@code UdpIntruder <startPort> <count> <millis>} prints {@code READY}, tries every variant on
 * every port until the time is up, then prints {@code ATTEMPTS <n> SUCCESSES <m>} and, for up to five
 * successes, {@code GOT <address>:<port> <options>}.
 */
public final class UdpIntruder {

	private static final String[] DUAL_STACK = { "0.0.0.0", "127.0.0.1", "::", "::1" };

	private static final String[] IPV4 = { "0.0.0.0", "127.0.0.1" };

	private final boolean withReusePort;

	private long attempts;

	private final List<String> successes = new ArrayList<>();

	/**
	 * @param withReusePort whether to try {@code SO_REUSEPORT} too (a socket of the reservation's own user
	 * that sets it is let in by design, so tests in the same process leave it out)
	 */
	public UdpIntruder(boolean withReusePort) {
		this.withReusePort = withReusePort;
	}

	public static void main(String[] args) throws Exception {
		int start = Integer.parseInt(args[0]);
		int count = Integer.parseInt(args[1]);
		long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
		UdpIntruder intruder = new UdpIntruder(true);
		System.out.println("READY");
		System.out.flush();
		do {
			for (int port = start; port < start + count; port++) {
				intruder.tryPort(port);
			}
		}
		while (System.nanoTime() < deadline);
		System.out.println("ATTEMPTS " + intruder.attempts() + " SUCCESSES " + intruder.successes().size());
		intruder.successes().stream().limit(5).forEach((success) -> System.out.println("GOT " + success));
	}

	/**
	 * Tries every variant on one port; a socket that gets in is closed at once.
	 * @param port the port
	 */
	public void tryPort(int port) {
		for (String address : DUAL_STACK) {
			tryVariants(StandardProtocolFamily.INET6, address, port);
		}
		for (String address : IPV4) {
			tryVariants(StandardProtocolFamily.INET, address, port);
		}
	}

	private void tryVariants(ProtocolFamily family, String address, int port) {
		int variants = this.withReusePort ? 4 : 2;
		for (int variant = 0; variant < variants; variant++) {
			boolean reuseAddress = (variant & 1) != 0;
			boolean reusePort = (variant & 2) != 0;
			this.attempts++;
			try (DatagramChannel channel = DatagramChannel.open(family)) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, reusePort);
				channel.bind(new InetSocketAddress(InetAddress.getByName(address), port));
				this.successes.add(family + " " + address + ":" + port + " reuseaddr=" + reuseAddress + " reuseport="
						+ reusePort);
			}
			catch (IOException | UnsupportedOperationException ex) {
				// Refused: what the reservation is for.
			}
		}
	}

	/** @return how many binds were tried */
	public long attempts() {
		return this.attempts;
	}

	/** @return the binds that got in */
	public List<String> successes() {
		return this.successes;
	}

}
