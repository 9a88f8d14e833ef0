package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A program run as another user (or as another process of this user) that keeps sockets
 * open on command, so a test can interleave its moves with the reservation's. Depends on
 * the JDK only. Commands on standard input, one per line, each answered by one line:
 * <ul>
 * <li>{@code bind <tcp|tcp-listen|udp> <address> <port> <reuseaddr> <reuseport>}: opens a
 * socket (TCP bound only, TCP bound and listening, or UDP), sets the options, binds it
 * (and listens) and keeps it open: {@code OK <index>} or {@code REFUSED <message>}. An
 * address {@code v6only:ADDR} makes an IPv6-only socket through the JDK's
 * {@code IPV6_V6ONLY} default (a {@code ::} socket of an IPv6 family).</li>
 * <li>{@code close}: closes every socket kept: {@code CLOSED n}.</li>
 * <li>{@code race <address> <port> <millis>}: for that long, binds a TCP socket with
 * {@code SO_REUSEPORT} alone and listens, again and again, closing each success at once:
 * {@code RACED <attempts> <listened>}.</li>
 * <li>{@code quit}.</li>
 * </ul>
 */
public final class SocketAttacker {

	private SocketAttacker() {
	}

	public static void main(String[] args) throws Exception {
		List<NetworkChannel> kept = new ArrayList<>();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		System.out.println("READY");
		System.out.flush();
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.strip().split(" ");
			String answer;
			switch (words[0]) {
				case "bind" -> answer = bind(kept, words);
				case "close" -> {
					for (NetworkChannel channel : kept) {
						channel.close();
					}
					answer = "CLOSED " + kept.size();
					kept.clear();
				}
				case "race" -> answer = race(InetAddress.getByName(words[1]), Integer.parseInt(words[2]),
						Long.parseLong(words[3]));
				case "quit" -> {
					return;
				}
				default -> answer = "UNKNOWN " + line;
			}
			System.out.println(answer);
			System.out.flush();
		}
	}

	private static String bind(List<NetworkChannel> kept, String[] words) {
		String kind = words[1];
		NetworkChannel channel = null;
		try {
			String text = words[2];
			boolean v6only = text.startsWith("v6only:");
			InetAddress address = InetAddress.getByName(v6only ? text.substring(7) : text);
			int port = Integer.parseInt(words[3]);
			if (kind.equals("udp")) {
				channel = v6only ? DatagramChannel.open(StandardProtocolFamily.INET6) : DatagramChannel.open();
			}
			else if (kind.equals("tcp")) {
				channel = v6only ? SocketChannel.open(StandardProtocolFamily.INET6) : SocketChannel.open();
			}
			else {
				channel = v6only ? ServerSocketChannel.open(StandardProtocolFamily.INET6) : ServerSocketChannel.open();
			}
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, Boolean.parseBoolean(words[4]));
			channel.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.parseBoolean(words[5]));
			channel.bind(new InetSocketAddress(address, port));
			kept.add(channel);
			return "OK " + (kept.size() - 1);
		}
		catch (IOException | RuntimeException ex) {
			if (channel != null) {
				try {
					channel.close();
				}
				catch (IOException ignored) {
					// Closing a socket that never bound.
				}
			}
			return "REFUSED " + ex;
		}
	}

	private static String race(InetAddress address, int port, long millis) {
		long end = System.nanoTime() + millis * 1_000_000L;
		long attempts = 0;
		long listened = 0;
		while (System.nanoTime() < end) {
			attempts++;
			try (ServerSocketChannel channel = ServerSocketChannel.open()) {
				channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
				channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				channel.bind(new InetSocketAddress(address, port));
				listened++;
			}
			catch (IOException ex) {
				// Refused: what a held port promises.
			}
		}
		return "RACED " + attempts + " " + listened;
	}

}
