package dev.portreservation.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservationListener;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The contract every backend keeps. A backend's test extends this class and hands the constructor how to
 * make the backend (and, where the backend's own wildcard acquire cannot find one, overrides
 * {@link #freeBlock}); everything bound here is closed after each test.
 *
 * @param <B> the backend's type, for the backend's own tests next to the contract's
 */
@GuardTimeout(60)
public abstract class PortReservationsContract<B extends PortReservations> {

	protected static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final int FREE_BLOCK_ATTEMPTS = 16;

	private final List<AutoCloseable> cleanup = new ArrayList<>();

	private final Supplier<? extends B> backends;

	private B backend;

	/**
	 * @param backend makes the backend under test: once per test, when the test first
	 * asks for it, so after the subclass's own {@code @BeforeEach} methods (which may
	 * skip a test whose backend cannot run here)
	 */
	protected PortReservationsContract(Supplier<? extends B> backend) {
		this.backends = backend;
	}

	/** @return the backend under test, the same for the whole test */
	protected final B backend() {
		if (this.backend == null) {
			this.backend = this.backends.get();
		}
		return this.backend;
	}

	/**
	 * A block for a test, found by the backend's own wildcard acquire: twice the size is
	 * asked for TCP and the first half kept, so that the blocks the suite builds right
	 * after it stay below port 65535; the block is then held for UDP as well, which
	 * proves it free for both protocols, and both are handed back. A backend whose
	 * acquire does not check the operating system's sockets (a model of it, say)
	 * overrides this with a check of its own.
	 * @param count the size wanted
	 * @return a block of that size that no one holds or uses right now
	 */
	protected PortBlock freeBlock(int count) {
		for (int attempt = 1;; attempt++) {
			PortBlock block;
			try (PortReservation probe = backend().acquireRuntime(Protocol.TCP, 2 * count)) {
				block = new PortBlock(probe.block().startPort(), count);
			}
			try (PortReservation udp = backend().acquireRuntime(Protocol.UDP, block)) {
				return block;
			}
			catch (PortReservationException ex) {
				// A UDP socket of another process on a port of the block: look for another.
				if (ex.getReason() != Reason.CONFLICT || attempt == FREE_BLOCK_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	/**
	 * @return whether persistent reservations can be tested here; a backend that cannot returns false and
	 * says why in an assumption of its own
	 */
	protected boolean persistentSupported() {
		return true;
	}

	@AfterEach
	void closeEverything() throws Exception {
		for (int i = this.cleanup.size() - 1; i >= 0; i--) {
			this.cleanup.get(i).close();
		}
	}

	protected final <T extends AutoCloseable> T track(T closeable) {
		this.cleanup.add(closeable);
		return closeable;
	}

	protected final ServerSocketChannel serverChannel() throws IOException {
		return track(ServerSocketChannel.open());
	}

	protected final DatagramChannel datagramChannel() throws IOException {
		return track(DatagramChannel.open());
	}

	@Test
	void runtimeBlockDescribesItself() {
		PortBlock block = freeBlock(4);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		assertThat(reservation.block()).isEqualTo(block);
		assertThat(reservation.protocol()).isEqualTo(Protocol.TCP);
		assertThat(reservation.kind()).isEqualTo(ReservationKind.RUNTIME);
		assertThat(reservation.isOpen()).isTrue();
		assertThat(reservation.backend()).isEqualTo(backend().name());
		assertThat(reservation.enforcement()).isEqualTo(backend().enforcement(ReservationKind.RUNTIME));
		assertThat(reservation.leases()).isEmpty();
		assertThat(reservation.portsFree()).isEqualTo(4);
	}

	@Test
	void tcpBindsGetDistinctPortsInsideTheBlockAndServe() throws Exception {
		PortBlock block = freeBlock(5);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			ServerSocketChannel channel = serverChannel();
			int port = reservation.bind(channel, LOOPBACK, 0);
			assertThat(block.contains(port)).as("port %d in %s", port, block).isTrue();
			assertThat(((InetSocketAddress) channel.getLocalAddress()).getPort()).isEqualTo(port);
			assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
			try (var client = java.nio.channels.SocketChannel.open(new InetSocketAddress(LOOPBACK, port));
					var accepted = channel.accept()) {
				assertThat(accepted).isNotNull();
			}
		}
		assertThat(reservation.portsInUse()).isEqualTo(5);
		assertThat(reservation.leases()).extracting(PortLease::port).containsExactlyElementsOf(new java.util.TreeSet<>(ports));
	}

	@Test
	void udpBindsGetDistinctPortsInsideTheBlockAndReceive() throws Exception {
		PortBlock block = freeBlock(3);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.UDP, block));
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			DatagramChannel channel = datagramChannel();
			int port = reservation.bind(channel, LOOPBACK);
			assertThat(block.contains(port)).isTrue();
			assertThat(ports.add(port)).isTrue();
			try (DatagramChannel sender = DatagramChannel.open()) {
				sender.send(java.nio.ByteBuffer.wrap(new byte[] { 42 }), new InetSocketAddress(LOOPBACK, port));
			}
			java.nio.ByteBuffer received = java.nio.ByteBuffer.allocate(1);
			assertThat(channel.receive(received)).isNotNull();
			assertThat(received.get(0)).isEqualTo((byte) 42);
		}
	}

	@Test
	void bindToASpecificPortOfTheBlock() throws Exception {
		PortBlock block = freeBlock(3);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		int wanted = block.startPort() + 2;
		int port = reservation.bind(serverChannel(), new InetSocketAddress(LOOPBACK, wanted), 0, "server");
		assertThat(port).isEqualTo(wanted);
		assertThat(reservation.leases()).singleElement().satisfies((lease) -> {
			assertThat(lease.port()).isEqualTo(wanted);
			assertThat(lease.owner()).isEqualTo("server");
		});
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> reservation.bind(serverChannel(), new InetSocketAddress(LOOPBACK, wanted), 0, "x"))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
	}

	@Test
	void fullBlockIsExhausted() throws Exception {
		PortBlock block = freeBlock(2);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		reservation.bind(serverChannel(), LOOPBACK, 0);
		reservation.bind(serverChannel(), LOOPBACK, 0);
		ServerSocketChannel third = serverChannel();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> reservation.bind(third, LOOPBACK, 0))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED);
				assertThat(ex.getBlock()).contains(block);
			});
		assertThat(third.getLocalAddress()).isNull();
		assertThat(reservation.portsFree()).isZero();
	}

	@Test
	void closingAChannelReturnsItsPort() throws Exception {
		PortBlock block = freeBlock(1);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		ServerSocketChannel first = serverChannel();
		int port = reservation.bind(first, LOOPBACK, 0);
		first.close();
		assertThat(reservation.portsInUse()).isZero();
		assertThat(reservation.bind(serverChannel(), LOOPBACK, 0)).isEqualTo(port);
	}

	@Test
	void closingTheReservationReleasesTheBlock() throws Exception {
		PortBlock block = freeBlock(3);
		PortReservation reservation = backend().acquireRuntime(Protocol.TCP, block);
		ServerSocketChannel channel = serverChannel();
		reservation.bind(channel, LOOPBACK, 0);
		channel.close();
		reservation.close();
		reservation.close();
		assertThat(reservation.isOpen()).isFalse();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> reservation.bind(serverChannel(), LOOPBACK, 0))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
		PortReservation again = track(backend().acquireRuntime(Protocol.TCP, block));
		assertThat(again.bind(serverChannel(), LOOPBACK, 0)).isBetween(block.startPort(), block.endPort());
	}

	@Test
	void overlappingRuntimeBlocksConflict() {
		PortBlock block = freeBlock(4);
		track(backend().acquireRuntime(Protocol.TCP, block));
		PortBlock overlapping = new PortBlock(block.startPort() + 2, 4);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> track(backend().acquireRuntime(Protocol.TCP, overlapping)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
	}

	@Test
	void wildcardBlockHasTheRequestedSizeAndBinds() throws Exception {
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, 6));
		assertThat(reservation.block().count()).isEqualTo(6);
		int port = reservation.bind(serverChannel(), LOOPBACK, 0);
		assertThat(reservation.block().contains(port)).isTrue();
		PortReservation second = track(backend().acquireRuntime(Protocol.TCP, 6));
		assertThat(second.block().overlaps(reservation.block())).isFalse();
	}

	@Test
	void concurrentBindsNeverShareAPort() throws Exception {
		int threads = 8;
		int perThread = 4;
		PortBlock block = freeBlock(threads * perThread);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		Set<Integer> ports = ConcurrentHashMap.newKeySet();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						int port = reservation.bind(serverChannel(), LOOPBACK, 0);
						assertThat(ports.add(port)).as("port %d twice", port).isTrue();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(GuardTimeouts.seconds(30), TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(ports).hasSize(threads * perThread).allMatch(block::contains);
		assertThat(reservation.portsFree()).isZero();
	}

	@Test
	void listenersHearBindsReleasesFailuresAndClose() throws Exception {
		PortBlock block = freeBlock(1);
		PortReservation reservation = backend().acquireRuntime(Protocol.TCP, block);
		List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		reservation.addListener(new PortReservationListener() {
			@Override
			public void bound(PortLease lease, long nanos) {
				events.add("bound " + lease.port() + " " + lease.owner());
			}

			@Override
			public void bindFailed(String owner, PortReservationException failure, long nanos) {
				events.add("failed " + owner + " " + failure.getReason());
			}

			@Override
			public void released(PortLease lease) {
				events.add("released " + lease.port());
			}

			@Override
			public void closed(PortReservation closed) {
				events.add("closed");
			}
		});
		ServerSocketChannel channel = serverChannel();
		int port = reservation.bind(channel, new InetSocketAddress(LOOPBACK, 0), 0, "server");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> reservation.bind(serverChannel(), new InetSocketAddress(LOOPBACK, 0), 0, "user"));
		channel.close();
		reservation.refresh();
		reservation.close();
		assertThat(events).containsExactly("bound " + port + " server", "failed user EXHAUSTED",
				"released " + port, "closed");
	}

	@Test
	void queriesChangeNothingRefreshReleases() throws Exception {
		for (Protocol protocol : Protocol.values()) {
			PortBlock block = freeBlock(2);
			PortReservation reservation = track(backend().acquireRuntime(protocol, block));
			List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
			reservation.addListener(new PortReservationListener() {
				@Override
				public void released(PortLease lease) {
					events.add("released " + lease.port() + " on " + Thread.currentThread().getName());
				}
			});
			java.nio.channels.NetworkChannel channel;
			int port;
			if (protocol == Protocol.TCP) {
				ServerSocketChannel server = serverChannel();
				port = reservation.bind(server, LOOPBACK, 0);
				channel = server;
			}
			else {
				DatagramChannel datagram = datagramChannel();
				port = reservation.bind(datagram, LOOPBACK);
				channel = datagram;
			}
			channel.close();
			String caller = Thread.currentThread().getName();
			for (int i = 0; i < 3; i++) {
				assertThat(reservation.leases()).as("%s leases", protocol).isEmpty();
				assertThat(reservation.portsInUse()).isZero();
				assertThat(reservation.portsFree()).isEqualTo(2);
				assertThat(reservation.unheldPorts()).as("%s unheld ports", protocol).isEmpty();
			}
			// Nothing above may have released the lease: that is the job of a bind, a refresh or the watcher.
			// The watcher runs once a second; a release it did would name its thread.
			assertThat(events).as("%s events after queries", protocol)
				.noneMatch((event) -> event.endsWith(" on " + caller));
			reservation.refresh();
			assertThat(events).as("%s released once", protocol).hasSize(1).first().asString()
				.startsWith("released " + port + " on ");
			reservation.refresh();
			assertThat(events).hasSize(1);
		}
	}

	@Test
	void theWatcherReleasesAClosedChannelWithoutAnyCall() throws Exception {
		PortBlock block = freeBlock(1);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		CountDownLatch released = new CountDownLatch(1);
		List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		reservation.addListener(new PortReservationListener() {
			@Override
			public void released(PortLease lease) {
				threads.add(Thread.currentThread().getName());
				released.countDown();
			}
		});
		ServerSocketChannel channel = serverChannel();
		reservation.bind(channel, LOOPBACK, 0);
		channel.close();
		assertThat(released.await(GuardTimeouts.seconds(10), TimeUnit.SECONDS)).as("released by the scheduled refresh").isTrue();
		// Nobody called the reservation after the close: the release came from its scheduled refresh.
		assertThat(threads).singleElement().isNotEqualTo(Thread.currentThread().getName());
	}

	@Test
	void listenersAreCalledOutsideTheLock() throws Exception {
		PortBlock block = freeBlock(2);
		PortReservation reservation = track(backend().acquireRuntime(Protocol.TCP, block));
		ExecutorService other = Executors.newSingleThreadExecutor();
		List<Integer> boundFromListener = new java.util.concurrent.CopyOnWriteArrayList<>();
		try {
			reservation.addListener(new PortReservationListener() {
				@Override
				public void bound(PortLease lease, long nanos) {
					if (!boundFromListener.isEmpty() || !"first".equals(lease.owner())) {
						return;
					}
					// Another thread binds while this listener runs: under the reservation's lock it would wait
					// for this listener, which waits for it.
					Future<Integer> second = other.submit(() -> reservation.bind(serverChannel(),
							new InetSocketAddress(LOOPBACK, 0), 0, "second"));
					try {
						boundFromListener.add(second.get(GuardTimeouts.seconds(10), TimeUnit.SECONDS));
					}
					catch (Exception ex) {
						throw new IllegalStateException("a bind from another thread blocked on the listener", ex);
					}
				}
			});
			int first = reservation.bind(serverChannel(), new InetSocketAddress(LOOPBACK, 0), 0, "first");
			assertThat(boundFromListener).as("bound by another thread from inside the listener").hasSize(1);
			assertThat(reservation.leases()).extracting(PortLease::port)
				.containsExactlyInAnyOrder(first, boundFromListener.get(0));
		}
		finally {
			other.shutdownNow();
		}
	}

	@Test
	void aThrowingListenerNeverTurnsABindIntoAFailureNorSilencesOthers() throws Exception {
		PortBlock block = freeBlock(2);
		PortReservation reservation = backend().acquireRuntime(Protocol.TCP, block);
		List<String> expected = new ArrayList<>();
		List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
		PortReservationListener throwing = new PortReservationListener() {
			@Override
			public void bound(PortLease lease, long nanos) {
				throw new IllegalStateException("listener broken on bound");
			}

			@Override
			public void bindFailed(String owner, PortReservationException failure, long nanos) {
				throw new IllegalStateException("listener broken on bindFailed");
			}

			@Override
			public void released(PortLease lease) {
				throw new IllegalStateException("listener broken on released");
			}

			@Override
			public void closed(PortReservation closed) {
				throw new IllegalStateException("listener broken on closed");
			}
		};
		reservation.addListener(throwing);
		reservation.addListener(new PortReservationListener() {
			@Override
			public void bound(PortLease lease, long nanos) {
				heard.add("bound " + lease.port());
			}

			@Override
			public void bindFailed(String owner, PortReservationException failure, long nanos) {
				heard.add("failed " + failure.getReason());
			}

			@Override
			public void released(PortLease lease) {
				heard.add("released " + lease.port());
			}

			@Override
			public void closed(PortReservation closed) {
				heard.add("closed");
			}
		});
		try {
			// Every port of the block: the caller gets each, and each is leased exactly once.
			ServerSocketChannel first = serverChannel();
			int port = reservation.bind(first, LOOPBACK, 0);
			int other = reservation.bind(serverChannel(), LOOPBACK, 0);
			assertThat(reservation.leases()).extracting(PortLease::port).containsExactlyInAnyOrder(port, other);
			expected.addAll(List.of("bound " + port, "bound " + other, "failed EXHAUSTED", "released " + port,
					"bound " + port, "closed"));
			// A refused bind still shows its own reason, not the listener's.
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> reservation.bind(serverChannel(), LOOPBACK, 0))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.EXHAUSTED));
			first.close();
			reservation.refresh();
			assertThat(reservation.leases()).extracting(PortLease::port).containsExactly(other);
			assertThat(reservation.bind(serverChannel(), LOOPBACK, 0)).isEqualTo(port);
		}
		finally {
			reservation.close();
		}
		assertThat(reservation.isOpen()).isFalse();
		assertThat(heard).containsExactlyElementsOf(expected);
	}

	@Test
	void badRequestsAreRejected() throws Exception {
		PortBlock block = freeBlock(2);
		PortReservation tcp = track(backend().acquireRuntime(Protocol.TCP, block));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> tcp.bind(serverChannel(), new InetSocketAddress(LOOPBACK, block.endPort() + 1), 0, "x"))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
		ServerSocketChannel closed = serverChannel();
		closed.close();
		assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> tcp.bind(closed, LOOPBACK, 0))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
		ServerSocketChannel alreadyBound = serverChannel();
		alreadyBound.bind(new InetSocketAddress(LOOPBACK, 0));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> tcp.bind(alreadyBound, LOOPBACK, 0))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> tcp.bind(datagramChannel(), LOOPBACK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED));
		assertThat(tcp.portsInUse()).isZero();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend().acquireRuntime(Protocol.TCP, 0))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID));
	}

	@Test
	void persistentBlockLifecycle() throws Exception {
		assumeThat(persistentSupported()).as("persistent reservations testable here").isTrue();
		PortBlock block = freeBlock(3);
		for (Protocol protocol : Protocol.values()) {
			assertThat(backend().lookupPersistent(protocol, block)).isEmpty();
			PortReservation created = track(backend().createPersistent(protocol, block));
			assertThat(created.kind()).isEqualTo(ReservationKind.PERSISTENT);
			assertThat(created.createdByThisProcess()).isTrue();
			Optional<PortReservation> found = backend().lookupPersistent(protocol, block);
			assertThat(found).isPresent();
			PortReservation lookedUp = track(found.get());
			assertThat(lookedUp.createdByThisProcess()).isFalse();
			assertThat(lookedUp.block()).isEqualTo(block);
			assertThat(lookedUp.kind()).isEqualTo(ReservationKind.PERSISTENT);
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> backend().createPersistent(protocol, new PortBlock(block.startPort() + 1, 1)))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
			int port = (protocol == Protocol.TCP) ? lookedUp.bind(serverChannel(), LOOPBACK, 0)
					: lookedUp.bind(datagramChannel(), LOOPBACK);
			assertThat(block.contains(port)).isTrue();
			created.close();
			assertThat(backend().lookupPersistent(protocol, block)).as("closing keeps a persistent block")
				.isPresent()
				.hasValueSatisfying(PortReservation::close);
			backend().deletePersistent(protocol, block);
			assertThat(backend().lookupPersistent(protocol, block)).isEmpty();
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> backend().deletePersistent(protocol, block))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND));
		}
	}

	@Test
	void lookupOrCreateCreatesOnceThenFinds() {
		assumeThat(persistentSupported()).as("persistent reservations testable here").isTrue();
		PortBlock block = freeBlock(2);
		PortReservation first = track(backend().lookupOrCreatePersistent(Protocol.TCP, block));
		PortReservation second = track(backend().lookupOrCreatePersistent(Protocol.TCP, block));
		try {
			assertThat(first.createdByThisProcess()).isTrue();
			assertThat(second.createdByThisProcess()).isFalse();
			assertThat(second.token()).isEqualTo(first.token());
		}
		finally {
			backend().deletePersistent(Protocol.TCP, block);
		}
	}

}
