package dev.portreservation.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WildcardRegionTests {

	@ParameterizedTest(name = "ephemeral range {0}-{1}, {2} ports: {3} ports from {4}")
	@CsvSource(delimiter = '|', textBlock = """
			# Prefers the ports above the ephemeral range.
			32768 | 60999 | 8     | 4536  | 61000
			32768 | 60999 | 4536  | 4536  | 61000
			# Falls back to the ephemeral range, not to the service ports below it.
			32768 | 60999 | 4537  | 28232 | 32768
			1024  | 65535 | 100   | 64512 | 1024
			# Uses every unprivileged port when nothing else fits.
			32768 | 60999 | 30000 | 64512 | 1024
			40000 | 40009 | 64512 | 64512 | 1024
			# Never goes below the first unprivileged port.
			500   | 65535 | 10    | 64512 | 1024
			""")
	void choosesTheRegionOfAWildcardBlock(int ephemeralStart, int ephemeralEnd, int count, int regionSize,
			int regionStart) {
		assertThat(WildcardRegion.choose(ephemeralStart, ephemeralEnd, count))
			.isEqualTo(new PortBlock(regionStart, regionSize));
	}

	@Test
	void parsesTheEphemeralRange() {
		assertThat(WildcardRegion.parseRange("32768\t60999\n")).containsExactly(32768, 60999);
		assertThatIllegalArgumentException().isThrownBy(() -> WildcardRegion.parseRange("3"))
			.withMessageContaining("'3'");
		assertThatIllegalArgumentException().isThrownBy(() -> WildcardRegion.parseRange("a b"));
	}

}
