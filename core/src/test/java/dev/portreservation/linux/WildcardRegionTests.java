package dev.portreservation.linux;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WildcardRegionTests {

	@Test
	void prefersThePortsAboveTheEphemeralRange() {
		assertThat(WildcardRegion.choose(32768, 60999, 8)).isEqualTo(new PortBlock(61000, 4536));
		assertThat(WildcardRegion.choose(32768, 60999, 4536)).isEqualTo(new PortBlock(61000, 4536));
	}

	@Test
	void fallsBackToTheEphemeralRangeNotToTheServicePortsBelowIt() {
		assertThat(WildcardRegion.choose(32768, 60999, 4537)).isEqualTo(new PortBlock(32768, 28232));
		assertThat(WildcardRegion.choose(1024, 65535, 100)).isEqualTo(new PortBlock(1024, 64512));
	}

	@Test
	void usesEveryUnprivilegedPortWhenNothingElseFits() {
		assertThat(WildcardRegion.choose(32768, 60999, 30000)).isEqualTo(new PortBlock(1024, 64512));
		assertThat(WildcardRegion.choose(40000, 40009, 64512)).isEqualTo(new PortBlock(1024, 64512));
	}

	@Test
	void neverGoesBelowTheFirstUnprivilegedPort() {
		assertThat(WildcardRegion.choose(500, 65535, 10)).isEqualTo(new PortBlock(1024, 64512));
	}

	@Test
	void parsesTheEphemeralRange() {
		assertThat(WildcardRegion.parseRange("32768\t60999\n")).containsExactly(32768, 60999);
		assertThatIllegalArgumentException().isThrownBy(() -> WildcardRegion.parseRange("3"))
			.withMessageContaining("'3'");
		assertThatIllegalArgumentException().isThrownBy(() -> WildcardRegion.parseRange("a b"));
	}

}
