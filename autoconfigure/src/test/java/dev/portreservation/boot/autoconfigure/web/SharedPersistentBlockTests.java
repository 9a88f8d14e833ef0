package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications configured with the same persistent block: the first creates it, the
 * second finds it, and each server gets its own port of the block.
 * <p>
 * Both run in this JVM on the portable backend: a persistent block of the Linux backend
 * needs CAP_NET_ADMIN and a private network namespace, and a second JVM would make the
 * test slow. The Spring side under test (lookup-or-create, port choice,
 * delete-on-shutdown of the creator only) is the same.
 */
@GuardTimeout(60)
class SharedPersistentBlockTests {

	private final PortablePortReservations backend = new PortablePortReservations();

	@Test
	void twoApplicationsSharingAPersistentBlockGetDifferentPorts() throws Exception {
		PortBlock block = freeBlock(4);
		String[] properties = { "portreservation.backend=portable", "portreservation.kind=persistent",
				"portreservation.start-port=" + block.startPort(), "portreservation.count=4",
				"portreservation.delete-on-shutdown=true" };
		try (RunningServer first = RunningServer.start(EmbeddedServer.TOMCAT, properties)) {
			try (RunningServer second = RunningServer.start(EmbeddedServer.TOMCAT, properties)) {
				assertThat(first.reservation().createdByThisProcess()).isTrue();
				assertThat(second.reservation().createdByThisProcess()).isFalse();
				assertThat(first.reservation().block()).isEqualTo(block);
				assertThat(second.reservation().block()).isEqualTo(block);
				int firstPort = first.webServerPort();
				int secondPort = second.webServerPort();
				assertThat(firstPort).isNotEqualTo(secondPort);
				assertThat(block.contains(firstPort)).isTrue();
				assertThat(block.contains(secondPort)).isTrue();
				assertThat(first.get(firstPort, "/hello")).isEqualTo("200 hello");
				assertThat(second.get(secondPort, "/hello")).isEqualTo("200 hello");
			}
			// The second application found the block: it must not delete it.
			assertThat(this.backend.lookupPersistent(Protocol.TCP, block)).isPresent();
		}
		// The first created it and asked for delete-on-shutdown.
		assertThat(this.backend.lookupPersistent(Protocol.TCP, block)).isEmpty();
	}

	private PortBlock freeBlock(int count) {
		try (PortReservation probe = this.backend.acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

}
