package dev.portreservation.test;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.portreservation.test.PortLedger.Entry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after the parallel classes (its own surefire execution) and checks what they
 * wrote: no two classes held overlapping blocks while both were running, though they ran
 * in several forks at the same time.
 */
class ForkedBlocksLedgerCheck {

	@Test
	void noPortWasHeldByTwoClassesAtOnce() throws Exception {
		List<Entry> entries = PortLedger.read();
		Assumptions.assumeFalse(entries.isEmpty(),
				"no ledger in " + PortLedger.directory() + ": the parallel classes did not run in this build");
		int collisions = 0;
		int concurrentPairs = 0;
		int crossForkConcurrentPairs = 0;
		for (int i = 0; i < entries.size(); i++) {
			for (int j = i + 1; j < entries.size(); j++) {
				Entry a = entries.get(i);
				Entry b = entries.get(j);
				if (a.overlapsInTime(b)) {
					concurrentPairs++;
					if (a.pid() != b.pid()) {
						crossForkConcurrentPairs++;
					}
					if (a.block().overlaps(b.block())) {
						collisions++;
					}
				}
			}
		}
		long forks = entries.stream().map(Entry::pid).distinct().count();
		System.out.println("Port ledger: " + entries.size() + " classes in " + forks + " forks, " + concurrentPairs
				+ " pairs running at once (" + crossForkConcurrentPairs + " across forks), " + collisions
				+ " collisions; blocks "
				+ entries.stream().map((e) -> e.block().toString()).collect(Collectors.joining(", ")));
		assertThat(collisions).as("classes that held a port of the same block at the same time").isZero();
	}

}
