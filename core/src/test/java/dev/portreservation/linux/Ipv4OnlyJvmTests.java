package dev.portreservation.linux;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM started with {@code -Djava.net.preferIPv4Stack=true} whose IPv6 side cannot be
 * held natively (JNA's native library is kept from loading) must not hold the block half:
 * the hold fails naming the flag and leaves every port free. (What a working IPv4-only
 * JVM holds is in {@link OtherUserAttemptsTests}.)
 */
@GuardTimeout(60)
class Ipv4OnlyJvmTests {

	@Test
	void withoutANativeIpv6HolderTheHoldFailsNamingTheFlagAndHoldsNothing() throws Exception {
		PortBlock block = FreeBlocks.free(new LinuxPortReservations(), 4);
		try (WorkerProcess worker = WorkerProcess.start(null, "-Djava.net.preferIPv4Stack=true", "-Djna.nosys=true",
				"-Djna.nounpack=true", "-Djna.noclasspath=true")) {
			assertThat(worker.send("hold tcp " + block.startPort() + " " + block.count()))
				.startsWith("FAILED UNSUPPORTED")
				.contains("-Djava.net.preferIPv4Stack=true");
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				try (ServerSocketChannel free = ServerSocketChannel.open()) {
					free.bind(new InetSocketAddress("127.0.0.1", port));
				}
			}
		}
	}

}
