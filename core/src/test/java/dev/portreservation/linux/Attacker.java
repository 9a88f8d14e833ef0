package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link SocketAttacker} process: as a {@link ThrowawayUser} ({@link #USER}
 * unless a suite names its own), or as another process of the user running the tests. The
 * attack matrix is every address of {@link #EVERY_ADDRESS} (each address family: IPv4,
 * IPv6 and dual-stack) by every socket option set of {@link #bind} (none,
 * {@code SO_REUSEADDR}, {@code SO_REUSEPORT}, both).
 */
public final class Attacker implements AutoCloseable {

	/** The other user of the core suites' socket attacks. */
	public static final String USER = "prh1ba";

	/**
	 * Every way a socket asks for a port: an {@code AF_INET} socket ({@code v4:}) on the
	 * wildcard and on loopback, an {@code AF_INET6} socket on the wildcard (dual-stack)
	 * and on loopback, and IPv4 loopback through a dual-stack {@code AF_INET6} socket.
	 */
	public static final List<String> EVERY_ADDRESS = List.of("v4:0.0.0.0", "v4:127.0.0.1", "::", "::1", "127.0.0.1");

	private final Process process;

	private final PrintStream commands;

	private final BufferedReader answers;

	private Attacker(Process process) throws IOException {
		this.process = process;
		this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
		this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String ready = this.answers.readLine();
		if (!"READY".equals(ready)) {
			throw new IllegalStateException("The attacker did not start: " + ready);
		}
	}

	/**
	 * @return an attacker running as the Unix user {@link #USER} (the test is skipped
	 * where none can be made)
	 */
	public static Attacker otherUser() throws Exception {
		return otherUser(USER);
	}

	/**
	 * @param user the throwaway user to attack as
	 * @return an attacker running as that Unix user (the test is skipped where none can
	 * be made)
	 */
	public static Attacker otherUser(String user) throws Exception {
		return new Attacker(ThrowawayUser.ensure(user).java(SocketAttacker.class).redirectErrorStream(true).start());
	}

	/**
	 * @return an attacker running as another process of this user
	 */
	public static Attacker sameUser() throws Exception {
		String classes = Path.of(SocketAttacker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.toString();
		return new Attacker(
				new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						classes, SocketAttacker.class.getName()))
					.redirectErrorStream(true)
					.start());
	}

	/**
	 * @param kind {@code tcp} (bound only), {@code tcp-listen} or {@code udp}
	 * @param address the address, {@code v4:} for an {@code AF_INET} socket
	 * @param port the port
	 * @param reuseAddress {@code SO_REUSEADDR}
	 * @param reusePort {@code SO_REUSEPORT}
	 * @return whether the socket is bound (and kept)
	 */
	public boolean bind(String kind, String address, int port, boolean reuseAddress, boolean reusePort)
			throws IOException {
		return ask("bind " + kind + " " + address + " " + port + " " + reuseAddress + " " + reusePort).startsWith("OK");
	}

	/**
	 * Closes every socket the attacker keeps.
	 */
	public void closeSockets() throws IOException {
		ask("close");
	}

	/**
	 * @return {attempts, listened}
	 */
	long[] race(String address, int port, long millis) throws IOException {
		String[] words = ask("race " + address + " " + port + " " + millis).split(" ");
		return new long[] { Long.parseLong(words[1]), Long.parseLong(words[2]) };
	}

	void seeding(int port, boolean on) throws IOException {
		ask("seeding " + port + " " + (on ? "on" : "off"));
	}

	String ask(String command) throws IOException {
		this.commands.println(command);
		String answer = this.answers.readLine();
		if (answer == null) {
			throw new IllegalStateException("The attacker ended before answering " + command);
		}
		return answer;
	}

	@Override
	public void close() throws Exception {
		this.commands.println("quit");
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
