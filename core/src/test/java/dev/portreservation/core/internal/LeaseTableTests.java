package dev.portreservation.core.internal;

import java.nio.channels.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The lease table on its own: what it keeps, what it ends, and that it refuses every call
 * made without its reservation's lock.
 */
class LeaseTableTests {

	private final ReentrantLock lock = new ReentrantLock();

	private final LeaseTable table = new LeaseTable(this.lock, new PortBlock(40001, 8));

	@BeforeEach
	void lock() {
		this.lock.lock();
	}

	@AfterEach
	void unlock() {
		while (this.lock.isHeldByCurrentThread()) {
			this.lock.unlock();
		}
	}

	@Test
	void keepsEachLeaseWithItsChannelInPortOrder() {
		FakeChannel second = new FakeChannel();
		FakeChannel first = new FakeChannel();
		this.table.add(lease(40002, "b"), second);
		this.table.add(lease(40001, "a"), first);
		assertThat(this.table.isLeased(40001)).isTrue();
		assertThat(this.table.isLeased(40003)).isFalse();
		assertThat(this.table.lease(40002).owner()).isEqualTo("b");
		assertThat(this.table.channel(40001)).isSameAs(first);
		assertThat(this.table.openLeases()).extracting(PortLease::port).containsExactly(40001, 40002);
		assertThat(this.table.openCount()).isEqualTo(2);
	}

	@Test
	void refusesASecondLeaseOfAPort() {
		this.table.add(lease(40001, "a"), new FakeChannel());
		assertThatIllegalStateException().isThrownBy(() -> this.table.add(lease(40001, "b"), new FakeChannel()))
			.withMessageContaining("40001")
			.withMessageContaining("'a'");
	}

	@Test
	void aClosedChannelsLeaseStaysUntilRemovedAndIsNotCountedOpen() {
		FakeChannel closing = new FakeChannel();
		this.table.add(lease(40001, "a"), closing);
		this.table.add(lease(40002, "b"), new FakeChannel());
		closing.open = false;
		assertThat(this.table.openLeases()).extracting(PortLease::port).containsExactly(40002);
		assertThat(this.table.openCount()).isEqualTo(1);
		assertThat(this.table.isLeased(40001)).as("until reaped, the port is not handed out").isTrue();
		List<Integer> returned = new ArrayList<>();
		assertThat(this.table.removeClosed(returned::add, true)).extracting(PortLease::owner).containsExactly("a");
		assertThat(returned).containsExactly(40001);
		assertThat(this.table.isLeased(40001)).isFalse();
		assertThat(this.table.removeClosed(returned::add, true)).isEmpty();
		assertThat(returned).containsExactly(40001);
	}

	@Test
	void severalEndedLeasesComeBackInPortOrderAndTheRestStay() {
		List<FakeChannel> channels = new ArrayList<>();
		for (int port : new int[] { 40005, 40002, 40008, 40001, 40004 }) {
			FakeChannel channel = new FakeChannel();
			channels.add(channel);
			this.table.add(lease(port, "owner-" + port), channel);
		}
		channels.get(0).close();
		channels.get(2).close();
		channels.get(3).close();
		List<Integer> returned = new ArrayList<>();
		assertThat(this.table.removeClosed(returned::add, true)).extracting(PortLease::port)
			.containsExactly(40001, 40005, 40008);
		assertThat(returned).containsExactlyInAnyOrder(40001, 40005, 40008);
		assertThat(this.table.openLeases()).extracting(PortLease::port).containsExactly(40002, 40004);
		for (int port = 40001; port <= 40008; port++) {
			assertThat(this.table.isLeased(port)).as("port %d", port).isEqualTo(port == 40002 || port == 40004);
		}
		this.table.add(lease(40005, "again"), new FakeChannel());
		assertThat(this.table.lease(40005).owner()).isEqualTo("again");
	}

	@Test
	void endedLeasesNobodyWantsAreNotCollectedButTheirPortsAreReturned() {
		FakeChannel closed = new FakeChannel();
		this.table.add(lease(40003, "a"), closed);
		closed.close();
		List<Integer> returned = new ArrayList<>();
		assertThat(this.table.removeClosed(returned::add, false)).isEmpty();
		assertThat(returned).containsExactly(40003);
		assertThat(this.table.isLeased(40003)).isFalse();
	}

	@Test
	void onlyThePortsOfTheBlockCanBeLeased() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.table.add(lease(40000, "below"), new FakeChannel()))
			.withMessageContaining("40000");
		assertThatIllegalArgumentException().isThrownBy(() -> this.table.add(lease(40009, "above"), new FakeChannel()))
			.withMessageContaining("40009");
		assertThat(this.table.isLeased(40000)).isFalse();
		assertThat(this.table.isLeased(40009)).isFalse();
		assertThat(this.table.lease(65535)).isNull();
		assertThat(this.table.channel(-1)).isNull();
	}

	@Test
	void listsOpenLentPortsOnly() {
		LentPortChannel lent = new LentPortChannel(40001, "partner", (port) -> {
		}, () -> {
		}, (port) -> true);
		LentPortChannel returned = new LentPortChannel(40002, "gone", (port) -> {
		}, () -> {
		}, (port) -> true);
		this.table.add(lease(40001, "partner"), lent);
		this.table.add(lease(40002, "gone"), returned);
		this.table.add(lease(40003, "channel"), new FakeChannel());
		returned.close();
		assertThat(this.table.openLentPorts()).containsExactly(lent);
	}

	@Test
	void everyCallWithoutTheLockFails() {
		this.table.add(lease(40001, "a"), new FakeChannel());
		this.lock.unlock();
		List<Runnable> calls = List.of(() -> this.table.isLeased(40001), () -> this.table.lease(40001),
				() -> this.table.channel(40001), () -> this.table.add(lease(40002, "b"), new FakeChannel()),
				this.table::openLeases, this.table::openCount, () -> this.table.removeClosed((port) -> {
				}, true), this.table::openLentPorts);
		for (Runnable call : calls) {
			assertThatIllegalStateException().isThrownBy(call::run)
				.withMessageContaining("without its reservation's lock");
		}
	}

	@Test
	void aLockHeldByAnotherThreadDoesNotCount() throws Exception {
		this.lock.unlock();
		ReentrantLock other = this.lock;
		Thread holder = new Thread(other::lock);
		holder.start();
		holder.join();
		assertThatIllegalStateException().isThrownBy(() -> this.table.isLeased(40001));
	}

	private static PortLease lease(int port, String owner) {
		return new PortLease(port, owner, Instant.now());
	}

	private static final class FakeChannel implements Channel {

		private boolean open = true;

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void close() {
			this.open = false;
		}

	}

}
