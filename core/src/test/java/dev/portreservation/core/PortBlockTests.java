package dev.portreservation.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PortBlockTests {

	@ParameterizedTest
	@CsvSource({ "0, 1, startPort must be between 1 and 65535", "65536, 1, startPort must be between 1 and 65535",
			"-5, 1, startPort must be between 1 and 65535", "1000, 0, count must be at least 1",
			"1000, -1, count must be at least 1", "65535, 2, ends at 65536", "60000, 6000, ends at 65999" })
	void rejectsBlocksOutsideThePortSpace(int start, int count, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> new PortBlock(start, count))
			.withMessageContaining(message);
	}

	@Test
	void edgesOfThePortSpaceAreAllowed() {
		assertThat(new PortBlock(1, 65535).endPort()).isEqualTo(65535);
		assertThat(new PortBlock(65535, 1).endPort()).isEqualTo(65535);
	}

	@Test
	void containsIsInclusiveAtBothEnds() {
		PortBlock block = new PortBlock(40000, 8);
		assertThat(block.contains(39999)).isFalse();
		assertThat(block.contains(40000)).isTrue();
		assertThat(block.contains(40007)).isTrue();
		assertThat(block.contains(40008)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "100, 10, 109, 1, true", "100, 10, 110, 5, false", "100, 10, 90, 10, false", "100, 10, 91, 10, true",
			"100, 10, 102, 2, true" })
	void overlapsIsSymmetric(int startA, int countA, int startB, int countB, boolean overlap) {
		PortBlock a = new PortBlock(startA, countA);
		PortBlock b = new PortBlock(startB, countB);
		assertThat(a.overlaps(b)).isEqualTo(overlap);
		assertThat(b.overlaps(a)).isEqualTo(overlap);
	}

	@Test
	void toStringAndParseRoundTrip() {
		assertThat(new PortBlock(40000, 8)).hasToString("40000-40007");
		assertThat(new PortBlock(8080, 1)).hasToString("8080");
		assertThat(PortBlock.parse("40000-40007")).isEqualTo(new PortBlock(40000, 8));
		assertThat(PortBlock.parse(" 8080 ")).isEqualTo(new PortBlock(8080, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> PortBlock.parse("9-1"))
			.withMessageContaining("ends before");
		assertThatIllegalArgumentException().isThrownBy(() -> PortBlock.parse("a-b"))
			.withMessageContaining("start-end");
	}

}
