package dev.portreservation.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The extension's life cycle: the block is the class's for all its tests and is released
 * after the last.
 */
class ReservedPortsExtensionTests {

	@Test
	void theBlockIsHeldForTheWholeClassAndReleasedAfterIt() {
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(TwoTestsOneBlock.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(2).succeeded(2));
		assertThat(TwoTestsOneBlock.blocks).hasSize(1);
		assertThat(TwoTestsOneBlock.lastReservation.isOpen()).as("closed after the class").isFalse();
		PortBlock block = TwoTestsOneBlock.blocks.iterator().next();
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			int free = port;
			assertThatNoException().as("port %d after the class", port).isThrownBy(() -> {
				try (ServerSocketChannel channel = ServerSocketChannel.open()) {
					channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), free));
				}
			});
		}
	}

	@Test
	void classesRunningInParallelThreadsHoldDistinctBlocksAtTheSameTime() {
		ParallelClass.blocks.clear();
		EngineTestKit.engine("junit-jupiter")
			.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
			.configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
			.configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
			.configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
			.selectors(selectClass(Parallel1.class), selectClass(Parallel2.class), selectClass(Parallel3.class),
					selectClass(Parallel4.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(4).succeeded(4));
		List<PortBlock> blocks = List.copyOf(ParallelClass.blocks);
		assertThat(blocks).hasSize(4);
		for (int i = 0; i < blocks.size(); i++) {
			for (int j = i + 1; j < blocks.size(); j++) {
				assertThat(blocks.get(i).overlaps(blocks.get(j))).as("%s and %s", blocks.get(i), blocks.get(j))
					.isFalse();
			}
		}
	}

	/**
	 * Four classes that all hold their blocks at once: each waits at the barrier until
	 * all four are there.
	 */
	@ReservedPorts(count = 8)
	abstract static class ParallelClass {

		static final List<PortBlock> blocks = new CopyOnWriteArrayList<>();

		static final CyclicBarrier allHolding = new CyclicBarrier(4);

		@Test
		void holdTheBlockWhileTheOthersHoldTheirs(PortReservation reservation) throws Exception {
			blocks.add(reservation.block());
			allHolding.await(GuardTimeouts.seconds(60), TimeUnit.SECONDS);
		}

	}

	static class Parallel1 extends ParallelClass {

	}

	static class Parallel2 extends ParallelClass {

	}

	static class Parallel3 extends ParallelClass {

	}

	static class Parallel4 extends ParallelClass {

	}

	@ReservedPorts(count = 3, protocol = Protocol.TCP)
	static class TwoTestsOneBlock {

		static final java.util.Set<PortBlock> blocks = java.util.concurrent.ConcurrentHashMap.newKeySet();

		static PortReservation lastReservation;

		static PortReservation staticReservation;

		@ReservedPort("static")
		static int staticPort;

		@Test
		void first(PortReservation reservation, @ReservedPort("a") Integer a) {
			check(reservation, a);
		}

		@Test
		void second(PortReservation reservation, @ReservedPort("a") int a) {
			check(reservation, a);
		}

		private static void check(PortReservation reservation, int a) {
			assertThat(reservation).isSameAs(staticReservation);
			assertThat(reservation.block().count()).isEqualTo(3);
			assertThat(reservation.block().contains(a)).isTrue();
			assertThat(reservation.block().contains(staticPort)).isTrue();
			assertThat(a).isNotEqualTo(staticPort);
			blocks.add(reservation.block());
			lastReservation = reservation;
		}

		@AfterAll
		static void stillHeldInAfterAll(PortReservation reservation) {
			assertThat(reservation.isOpen()).isTrue();
		}

	}

}
