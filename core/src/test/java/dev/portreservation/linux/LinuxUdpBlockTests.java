package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;

import dev.portreservation.core.internal.Closeables;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runtime UDP block has no moment at which another socket can bind one of its ports:
 * not after the hand-off to a channel bound to one address, not after a leased channel
 * closes, not under churn; and the channel still gets every datagram. Strangers in this
 * process leave {@code SO_REUSEPORT} out (the kernel lets a socket of the same user that
 * sets it in, by design); the other user's tries include it.
 */
@GuardTimeout(120)
class LinuxUdpBlockTests {

	private static final InetAddress LOOPBACK_V4 = address("127.0.0.1");

	private static final InetAddress LOOPBACK_V6 = address("::1");

	private final LinuxPortReservations backend = new LinuxPortReservations();

	@RegisterExtension
	final ClosedAfterEach cleanup = new ClosedAfterEach();

	@Test
	void theStrangerGetsInOnEveryVariantWhereNothingIsHeld() {
		// The control: on a free port every kind of bind the tests below try succeeds.
		PortBlock free = FreeBlocks.free(this.backend, 1);
		UdpIntruder stranger = new UdpIntruder(true);
		stranger.tryPort(free.startPort());
		assertThat(stranger.triesV6Only()).as("JNA is on the test class path").isTrue();
		assertThat(stranger.attempts()).isEqualTo(32);
		assertThat(stranger.successes()).hasSize(32);
	}

	@Test
	void noStrangerBindsAPortAfterItsHandOffNorAfterItsChannelCloses() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 4);
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, block));
		UdpIntruder stranger = new UdpIntruder(false);
		List<String> leaks = new ArrayList<>();
		for (ChannelBinding binding : ChannelBinding.values()) {
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				DatagramChannel channel = binding.open();
				assertThat(reservation.bind(channel, binding.address(port), binding.name())).isEqualTo(port);
				stranger.tryPort(port);
				leaks.addAll(stranger.successes().stream().map((s) -> binding + " open: " + s).toList());
				stranger.successes().clear();
				channel.close();
				// No call to the reservation in between: the port must be held the moment
				// the channel is gone.
				stranger.tryPort(port);
				leaks.addAll(stranger.successes().stream().map((s) -> binding + " closed: " + s).toList());
				stranger.successes().clear();
				reservation.refresh();
			}
		}
		// 6 JDK socket kinds and 2 IPv6-only native ones, plain and with SO_REUSEADDR,
		// open and closed.
		long perPort = stranger.triesV6Only() ? 16 : 12;
		assertThat(stranger.attempts()).isEqualTo(ChannelBinding.values().length * 4 * 2 * perPort);
		assertThat(leaks).as("%d binds of a stranger got in, of %d tries", leaks.size(), stranger.attempts()).isEmpty();
	}

	@Test
	void everyDatagramFromSeveralSendersReachesTheChannel() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 2);
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, block));
		int datagrams = 200;
		for (ChannelBinding binding : ChannelBinding.values()) {
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				try (DatagramChannel channel = binding.open()) {
					reservation.bind(channel, binding.address(port), binding.name());
					for (InetAddress destination : binding.reachableAt()) {
						assertThat(sendAndCount(channel, new InetSocketAddress(destination, port), datagrams))
							.as("%s, port %d, sent to %s", binding, port, destination)
							.isEqualTo(datagrams);
					}
				}
				reservation.refresh();
			}
		}
	}

	@Test
	void anotherUserNeverBindsAPortAfterHandOffAfterCloseOrUnderChurn() throws Exception {
		ThrowawayUser.ensure(Attacker.USER);
		PortBlock block = FreeBlocks.free(this.backend, 8);
		PortReservation reservation = track(this.backend.acquireRuntime(Protocol.UDP, block));
		List<DatagramChannel> channels = new ArrayList<>();
		ChannelBinding[] bindings = ChannelBinding.values();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			ChannelBinding binding = bindings[(port - block.startPort()) % bindings.length];
			DatagramChannel channel = track(binding.open());
			reservation.bind(channel, binding.address(port), binding.name());
			channels.add(channel);
		}
		Intrusion handedOff = intrude(block, 1000, () -> {
		});
		for (DatagramChannel channel : channels) {
			channel.close();
		}
		Intrusion closed = intrude(block, 1000, () -> {
		});
		AtomicLong churnBinds = new AtomicLong();
		Intrusion churn = intrude(block, 3000, () -> churn(reservation, 16, 3000, churnBinds));
		System.out.println("Another user's UDP binds: after hand-off " + handedOff + ", after close " + closed
				+ ", under churn of 16 threads (" + churnBinds.get() + " binds) " + churn);
		assertThat(handedOff.attempts()).isPositive();
		assertThat(closed.attempts()).isPositive();
		assertThat(churn.attempts()).isPositive();
		assertThat(churnBinds.get()).isPositive();
		assertThat(handedOff.successes()).as("after hand-off: %s", handedOff).isZero();
		assertThat(closed.successes()).as("after close: %s", closed).isZero();
		assertThat(churn.successes()).as("under churn: %s", churn).isZero();
	}

	@Test
	void aPortThatCannotBeHeldForWantOfFileDescriptorsIsReportedRetriedAndHeldAgain() throws Exception {
		// Only what the probe loads: with few descriptors, every jar on a long class path
		// is one less.
		String classPath = location(FdExhaustionProbe.class) + java.io.File.pathSeparator
				+ location(RuntimeBlockReservation.class) + java.io.File.pathSeparator
				+ location(com.sun.jna.Native.class);
		String javaCommand = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process probe = new ProcessBuilder("sh", "-c", "ulimit -n 128 && exec \"$0\" \"$@\"", javaCommand, "-cp",
				classPath, FdExhaustionProbe.class.getName())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try (BufferedReader output = new BufferedReader(new InputStreamReader(probe.getInputStream()));
				java.io.Writer input = new java.io.OutputStreamWriter(probe.getOutputStream())) {
			int port = Integer.parseInt(expect(output, "PORT "));
			assertThat(expect(output, "UNHELD ")).startsWith("[" + port + "]");
			assertThat(Integer.parseInt(expect(output, "EXHAUSTED "))).isPositive();
			assertThat(expect(output, "STILL ")).as("unheld after two scheduled retries without a descriptor")
				.isEqualTo("[" + port + "]");
			// Truthful: nothing holds the port now, another socket could take it.
			try (DatagramChannel stranger = DatagramChannel.open()) {
				stranger.bind(new InetSocketAddress(port));
			}
			input.write("FREE\n");
			input.flush();
			String reheld = expect(output, "REHELD ");
			assertThat(reheld).as("held again by the scheduled retry")
				.startsWith("[] [")
				.contains(String.valueOf(port));
			UdpIntruder stranger = new UdpIntruder(false);
			stranger.tryPort(port);
			assertThat(stranger.successes()).as("binds after the port is held again").isEmpty();
		}
		finally {
			assertThat(probe.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)).isTrue();
			probe.destroyForcibly();
		}
	}

	private static String location(Class<?> type) throws Exception {
		return java.nio.file.Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
	}

	private static String expect(BufferedReader output, String prefix) throws IOException {
		String line = output.readLine();
		assertThat(line).as("line of the probe").isNotNull().startsWith(prefix);
		return line.substring(prefix.length());
	}

	private Intrusion intrude(PortBlock block, long millis, Runnable meanwhile) throws Exception {
		Process process = ThrowawayUser.ensure(Attacker.USER)
			.java(UdpIntruder.class, String.valueOf(block.startPort()), String.valueOf(block.count()),
					String.valueOf(millis))
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
			String line = output.readLine();
			assertThat(line).as("the intruder's first line").isEqualTo("READY");
			meanwhile.run();
			long attempts = -1;
			long successes = -1;
			List<String> got = new ArrayList<>();
			while ((line = output.readLine()) != null) {
				if (line.startsWith("ATTEMPTS ")) {
					String[] words = line.split(" ");
					attempts = Long.parseLong(words[1]);
					successes = Long.parseLong(words[3]);
				}
				else if (line.startsWith("GOT ")) {
					got.add(line.substring(4));
				}
			}
			assertThat(process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)).isTrue();
			assertThat(attempts).as("the intruder reported its tries").isNotNegative();
			return new Intrusion(attempts, successes, got);
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Threads that bind and close channels on every kind of address as fast as they can.
	 */
	private static void churn(PortReservation reservation, int threads, long millis, AtomicLong binds) {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(pool.submit(() -> {
					ChannelBinding[] bindings = ChannelBinding.values();
					while (System.nanoTime() < deadline) {
						ChannelBinding binding = bindings[ThreadLocalRandom.current().nextInt(bindings.length)];
						try (DatagramChannel channel = binding.open()) {
							reservation.bind(channel, binding.address(0), "churn");
							binds.incrementAndGet();
						}
						catch (PortReservationException ex) {
							if (ex.getReason() != Reason.EXHAUSTED) {
								throw ex;
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(millis + 30_000, TimeUnit.MILLISECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Sends in batches from four senders and counts what the channel receives, waiting at
	 * most 5 s for each.
	 */
	private static int sendAndCount(DatagramChannel channel, InetSocketAddress destination, int datagrams)
			throws IOException {
		ProtocolFamily family = (destination.getAddress() instanceof java.net.Inet6Address)
				? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
		List<DatagramChannel> senders = new ArrayList<>();
		int received = 0;
		try {
			for (int i = 0; i < 4; i++) {
				senders.add(DatagramChannel.open(family));
			}
			channel.configureBlocking(true);
			channel.socket().setSoTimeout(5000);
			int batch = 20;
			for (int sent = 0; sent < datagrams; sent += batch) {
				for (int i = sent; i < sent + batch; i++) {
					senders.get(i % senders.size()).send(ByteBuffer.wrap(new byte[] { (byte) i }), destination);
				}
				for (int i = 0; i < batch; i++) {
					try {
						channel.socket().receive(new DatagramPacket(new byte[1], 1));
						received++;
					}
					catch (java.net.SocketTimeoutException ex) {
						return received;
					}
				}
			}
			return received;
		}
		finally {
			senders.forEach(Closeables::closeQuietly);
		}
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.cleanup.track(closeable);
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * How a channel is bound through the block: every address kind a JDK channel can
	 * take.
	 */
	enum ChannelBinding {

		/** A dual-stack channel on 127.0.0.1. */
		LOOPBACK_IPV4(StandardProtocolFamily.INET6, LOOPBACK_V4),

		/** A dual-stack channel on ::1. */
		LOOPBACK_IPV6(StandardProtocolFamily.INET6, LOOPBACK_V6),

		/**
		 * A dual-stack channel on the wildcard address: the holder's own address, so its
		 * SO_REUSEPORT group.
		 */
		WILDCARD(StandardProtocolFamily.INET6, null, LOOPBACK_V4, LOOPBACK_V6),

		/** An IPv4 channel on 0.0.0.0. */
		WILDCARD_IPV4(StandardProtocolFamily.INET, null, LOOPBACK_V4),

		/** An IPv4 channel on 127.0.0.1. */
		IPV4_ONLY_LOOPBACK(StandardProtocolFamily.INET, LOOPBACK_V4);

		private final ProtocolFamily family;

		private final InetAddress address;

		private final InetAddress[] reachableAt;

		ChannelBinding(ProtocolFamily family, InetAddress address, InetAddress... reachableAt) {
			this.family = family;
			this.address = address;
			this.reachableAt = (reachableAt.length > 0) ? reachableAt : new InetAddress[] { address };
		}

		DatagramChannel open() throws IOException {
			return DatagramChannel.open(this.family);
		}

		InetSocketAddress address(int port) {
			return (this.address != null) ? new InetSocketAddress(this.address, port) : new InetSocketAddress(port);
		}

		InetAddress[] reachableAt() {
			return this.reachableAt;
		}

	}

	record Intrusion(long attempts, long successes, List<String> got) {

		@Override
		public String toString() {
			return this.successes + " of " + this.attempts + " tries got in"
					+ (this.got.isEmpty() ? "" : ", e.g. " + this.got);
		}

	}

}
