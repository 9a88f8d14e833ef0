package dev.portreservation.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationListener;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled refresh: a daemon thread started by the first bind of a reservation,
 * refreshing it without anyone calling it, and gone once no watched reservation is open.
 * Each test has a watcher of its own, so reservations of other tests do not keep its
 * thread alive.
 */
@GuardTimeout(60)
class ReservationWatcherTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final ReservationWatcher watcher = new ReservationWatcher("test-watcher", Duration.ofMillis(50),
			Duration.ofMillis(5));

	@Test
	void startsOnTheFirstBindRefreshesAndStopsWhenTheLastReservationCloses() throws Exception {
		LoopbackReservation first = new LoopbackReservation(this.watcher);
		LoopbackReservation second = new LoopbackReservation(this.watcher);
		assertThat(this.watcher.isRunning()).as("started lazily, not by creating a reservation").isFalse();
		CountDownLatch released = new CountDownLatch(1);
		List<String> threads = new CopyOnWriteArrayList<>();
		first.addListener(new PortReservationListener() {
			@Override
			public void released(PortLease lease) {
				threads.add(Thread.currentThread().getName());
				released.countDown();
			}
		});
		ServerSocketChannel secondChannel = null;
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			first.bind(channel, LOOPBACK, 0);
			secondChannel = ServerSocketChannel.open();
			second.bind(secondChannel, LOOPBACK, 0);
			Thread thread = this.watcher.thread();
			assertThat(thread).isNotNull();
			assertThat(thread.isDaemon()).isTrue();
			channel.close();
			assertThat(released.await(GuardTimeouts.seconds(10), TimeUnit.SECONDS)).as("released without a call")
				.isTrue();
			assertThat(threads).containsExactly("test-watcher");
			first.close();
			assertThat(this.watcher.isRunning()).as("one reservation still open").isTrue();
			second.close();
			thread.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(thread.isAlive()).as("stopped once no reservation is open").isFalse();
			assertThat(this.watcher.isRunning()).isFalse();
		}
		finally {
			Closeables.closeQuietly(secondChannel);
		}
		// A later bind starts it again.
		LoopbackReservation third = new LoopbackReservation(this.watcher);
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			third.bind(channel, LOOPBACK, 0);
			assertThat(this.watcher.isRunning()).isTrue();
		}
		finally {
			third.close();
		}
	}

	@Test
	void aReservationThatFailsToRefreshDoesNotStopTheOthers() throws Exception {
		LoopbackReservation failing = new LoopbackReservation(this.watcher) {
			@Override
			protected void maintain() {
				throw new IllegalStateException("broken backend");
			}
		};
		LoopbackReservation healthy = new LoopbackReservation(this.watcher);
		CountDownLatch released = new CountDownLatch(1);
		healthy.addListener(new PortReservationListener() {
			@Override
			public void released(PortLease lease) {
				released.countDown();
			}
		});
		try {
			// The failing one binds first: its refresh fails on every round.
			try (ServerSocketChannel one = ServerSocketChannel.open()) {
				try {
					failing.bind(one, LOOPBACK, 0);
				}
				catch (PortReservationException ex) {
					// maintain() also runs on bind; the watcher is what is tested here.
				}
			}
			this.watcher.watch(failing);
			ServerSocketChannel two = ServerSocketChannel.open();
			healthy.bind(two, LOOPBACK, 0);
			two.close();
			assertThat(released.await(GuardTimeouts.seconds(10), TimeUnit.SECONDS)).isTrue();
		}
		finally {
			failing.close();
			healthy.close();
		}
	}

	/**
	 * A reservation that binds plain loopback sockets on ports the OS picks; its "block"
	 * is all ports, so any bind lies inside it. Enough to drive the bookkeeping with real
	 * channels.
	 */
	private static class LoopbackReservation extends AbstractPortReservation {

		LoopbackReservation(ReservationWatcher watcher) {
			super(new PortablePortReservations(), new PortBlock(1, PortBlock.MAX_PORT), Protocol.TCP,
					ReservationKind.RUNTIME, true, watcher);
		}

		@Override
		public long token() {
			return 0;
		}

		@Override
		protected int bindServer(ServerSocketChannel channel, InetSocketAddress local, int port, int backlog)
				throws IOException {
			channel.bind(new InetSocketAddress(LOOPBACK, 0), backlog);
			return ((InetSocketAddress) channel.getLocalAddress()).getPort();
		}

		@Override
		protected int bindDatagram(DatagramChannel channel, InetSocketAddress local, int port) throws IOException {
			channel.bind(new InetSocketAddress(LOOPBACK, 0));
			return ((InetSocketAddress) channel.getLocalAddress()).getPort();
		}

		@Override
		protected void release() {
		}

	}

}
