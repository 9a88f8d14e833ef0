package dev.portreservation.linux;

import java.util.List;

import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A block of privileged ports bound by an unprivileged user (a throwaway user, in a child
 * JVM): the bind fails as {@code ACCESS_DENIED} with {@code EACCES} for port 0 and for
 * every port asked, never as an exhausted block or a conflict. Decided from facts
 * ({@code ip_unprivileged_port_start}, the process's effective capabilities), not from
 * the JDK's message.
 */
@GuardTimeout(60)
class PrivilegedPortBindTests {

	@Test
	void everyPrivilegedPortIsAccessDeniedForAnUnprivilegedUser() throws Exception {
		ThrowawayUser.ensure(ThrowawayUser.ATTACKER);
		int unprivilegedStart = Integer
			.parseInt(ProcFile.read(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip());
		org.junit.jupiter.api.Assumptions.assumeTrue(unprivilegedStart > 604,
				"ports 601-604 must be privileged here (ip_unprivileged_port_start is " + unprivilegedStart + ")");
		PortBlock block = new PortBlock(601, 4);
		List<String> output = ThrowawayUser.ensure(ThrowawayUser.ATTACKER)
			.runJavaOnBuildClasses(PrivilegedPortProcess.class, block.toString());
		assertThat(output).as("port 0 and ports 601-604")
			.containsExactly("reason 0 ACCESS_DENIED 13", "reason 601 ACCESS_DENIED 13", "reason 602 ACCESS_DENIED 13",
					"reason 603 ACCESS_DENIED 13", "reason 604 ACCESS_DENIED 13");
	}

}
