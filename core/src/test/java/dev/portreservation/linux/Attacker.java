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
 * Drives a {@link SocketAttacker} process: as the throwaway user {@link OtherUser#NAME},
 * or as another process of the user running the tests.
 */
final class Attacker implements AutoCloseable {

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
	 * @return an attacker running as another Unix user (the test is skipped where none
	 * can be made)
	 */
	static Attacker otherUser() throws Exception {
		OtherUser.ensure();
		return new Attacker(OtherUser.java(SocketAttacker.class));
	}

	/**
	 * @return an attacker running as another process of this user
	 */
	static Attacker sameUser() throws Exception {
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
	 * @param address the address, {@code v6only:} for an IPv6-only socket
	 * @param port the port
	 * @param reuseAddress {@code SO_REUSEADDR}
	 * @param reusePort {@code SO_REUSEPORT}
	 * @return whether the socket is bound (and kept)
	 */
	boolean bind(String kind, String address, int port, boolean reuseAddress, boolean reusePort) throws IOException {
		return ask("bind " + kind + " " + address + " " + port + " " + reuseAddress + " " + reusePort).startsWith("OK");
	}

	/**
	 * Closes every socket the attacker keeps.
	 */
	void closeSockets() throws IOException {
		ask("close");
	}

	/**
	 * @return {attempts, listened}
	 */
	long[] race(String address, int port, long millis) throws IOException {
		String[] words = ask("race " + address + " " + port + " " + millis).split(" ");
		return new long[] { Long.parseLong(words[1]), Long.parseLong(words[2]) };
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
