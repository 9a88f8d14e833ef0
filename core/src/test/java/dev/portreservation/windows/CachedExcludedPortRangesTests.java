package dev.portreservation.windows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often netsh runs for health checks and for the single-port probes of a block moved
 * around {@code server.port}: once per refresh interval and protocol, whatever the number
 * of reads, and never off Windows. The clock is the test's, not a timer.
 */
class CachedExcludedPortRangesTests {

	private static final String LISTING = "\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port"
			+ "      \r\n----------    --------      \r\n     51417       51516      \r\n     55679       55679"
			+ "     *\r\n\r\n* - Administered port exclusions.\r\n\r\n";

	private final List<List<String>> commands = new ArrayList<>();

	private final AtomicLong now = new AtomicLong();

	@Test
	void manyReadsWithinTheIntervalRunNetshOncePerFamilyAndProtocol() {
		CachedExcludedPortRanges cached = new CachedExcludedPortRanges(netsh(), Duration.ofSeconds(30), this.now::get);
		for (int poll = 0; poll < 100; poll++) {
			assertThat(cached.read(Protocol.TCP)).containsExactly(new ExcludedPortRange(51417, 51516, false),
					new ExcludedPortRange(55679, 55679, true));
			this.now.addAndGet(Duration.ofMillis(290).toNanos());
		}
		assertThat(this.commands).containsExactly(NetshExcludedPortRanges.command("ipv4", Protocol.TCP),
				NetshExcludedPortRanges.command("ipv6", Protocol.TCP));
		cached.read(Protocol.UDP);
		assertThat(this.commands).hasSize(4);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		cached.read(Protocol.TCP);
		assertThat(this.commands).as("read again once 30 s have passed").hasSize(6);
	}

	@Test
	void onWindowsTheSystemsSourceReadsNetshThroughTheCache() {
		ExcludedPortRanges.Source system = CachedExcludedPortRanges.forSystem(true, this::run);
		assertThat(system).isInstanceOf(CachedExcludedPortRanges.class);
		for (int poll = 0; poll < 10; poll++) {
			assertThat(system.read(Protocol.TCP)).hasSize(2);
		}
		assertThat(this.commands).hasSize(2);
	}

	@Test
	void offWindowsTheSystemsSourceKnowsNoRangeAndRunsNothing() {
		ExcludedPortRanges.Source system = CachedExcludedPortRanges.forSystem(false, this::run);
		assertThat(system.read(Protocol.TCP)).isEmpty();
		assertThat(system.read(Protocol.UDP)).isEmpty();
		assertThat(this.commands).isEmpty();
		if (!com.sun.jna.Platform.isWindows()) {
			assertThat(CachedExcludedPortRanges.forThisSystem().read(Protocol.TCP)).isEmpty();
			assertThat(CachedExcludedPortRanges.forThisSystem()).isNotInstanceOf(CachedExcludedPortRanges.class);
		}
	}

	private NetshExcludedPortRanges netsh() {
		return new NetshExcludedPortRanges(this::run);
	}

	private String run(List<String> command) {
		this.commands.add(command);
		return LISTING;
	}

}
