package dev.portreservation.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IpLocalReservedPortsTests {

	@Test
	void parsesAndFormatsTheKernelsList() {
		assertThat(IpLocalReservedPorts.parse("8080,9000-9010").format()).isEqualTo("8080,9000-9010");
		assertThat(IpLocalReservedPorts.parse("0,65535").format()).isEqualTo("0,65535");
	}

	@Test
	void blankMeansNothingReserved() {
		assertThat(IpLocalReservedPorts.parse("").isEmpty()).isTrue();
		assertThat(IpLocalReservedPorts.parse("\n").format()).isEmpty();
		assertThat(IpLocalReservedPorts.parse(" \t\n")).isEqualTo(IpLocalReservedPorts.none());
	}

	@Test
	void normalisesLikeTheKernel() {
		// What the kernel printed after "9001,9000-9010,8080,8081" was written
		// (measured).
		assertThat(IpLocalReservedPorts.parse("9001,9000-9010,8080,8081").format()).isEqualTo("8080-8081,9000-9010");
		assertThat(IpLocalReservedPorts.parse(" 5 , 3-4 ,1\n").format()).isEqualTo("1,3-5");
		assertThat(IpLocalReservedPorts.parse("7-7").format()).isEqualTo("7");
	}

	@ParameterizedTest(name = "{0} with {1}+{2} is {3}")
	@CsvSource(delimiter = '|', textBlock = """
			# Merged with adjacent and overlapping entries.
			8080,9000-9010          | 8081  | 4   | 8080-8084,9000-9010
			8080,9000-9010          | 8990  | 10  | 8080,8990-9010
			8080,9000-9010          | 9005  | 10  | 8080,9000-9014
			8080,9000-9010          | 8081  | 919 | 8080-9010
			# Every other entry kept.
			22,8080,9000-9010,65535 | 40000 | 8   | 22,8080,9000-9010,40000-40007,65535
			""")
	void addingMergesWithAdjacentAndOverlappingEntriesAndKeepsEveryOther(String list, int start, int count,
			String expected) {
		assertThat(IpLocalReservedPorts.parse(list).with(new PortBlock(start, count)).format()).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} without {1}+{2} is {3}")
	@CsvSource(delimiter = '|', textBlock = """
			8080,9000-9010,40000-40007 | 40000 | 8  | 8080,9000-9010
			# A block inside a larger run leaves both ends of the run.
			8080,9000-9010,40000-40007 | 9003  | 2  | 8080,9000-9002,9005-9010,40000-40007
			# Ports that were not reserved are simply not there.
			8080,9000-9010,40000-40007 | 7000  | 10 | 8080,9000-9010,40000-40007
			""")
	void removingTakesOutExactlyTheBlock(String list, int start, int count, String expected) {
		assertThat(IpLocalReservedPorts.parse(list).without(new PortBlock(start, count)).format()).isEqualTo(expected);
	}

	@Test
	void addingThenRemovingABlockRestoresTheList() {
		IpLocalReservedPorts list = IpLocalReservedPorts.parse("1024,8079,8090-8100");
		PortBlock block = new PortBlock(8080, 10);
		assertThat(list.with(block).format()).isEqualTo("1024,8079-8100");
		assertThat(list.with(block).without(block)).isEqualTo(list);
	}

	@Test
	void answersWhatIsReservedInsideABlock() {
		IpLocalReservedPorts list = IpLocalReservedPorts.parse("8080,9000-9010");
		assertThat(list.containsAll(new PortBlock(9000, 11))).isTrue();
		assertThat(list.containsAll(new PortBlock(9000, 12))).isFalse();
		assertThat(list.containsAll(new PortBlock(8080, 1))).isTrue();
		assertThat(list.within(new PortBlock(8000, 1005)).format()).isEqualTo("8080,9000-9004");
		assertThat(list.within(new PortBlock(8081, 900)).isEmpty()).isTrue();
		assertThat(IpLocalReservedPorts.none().containsAll(new PortBlock(65535, 1))).isFalse();
		assertThat(IpLocalReservedPorts.parse("65535").containsAll(new PortBlock(65535, 1))).isTrue();
	}

	@Test
	void isImmutable() {
		IpLocalReservedPorts list = IpLocalReservedPorts.parse("8080");
		list.with(new PortBlock(9000, 2));
		list.without(new PortBlock(8080, 1));
		assertThat(list.format()).isEqualTo("8080");
	}

	@Test
	void rejectsWhatIsNotAList() {
		assertThatIllegalArgumentException().isThrownBy(() -> IpLocalReservedPorts.parse("80a"))
			.withMessageContaining("'80a'");
		assertThatIllegalArgumentException().isThrownBy(() -> IpLocalReservedPorts.parse("9010-9000"))
			.withMessageContaining("ends before it starts");
		assertThatIllegalArgumentException().isThrownBy(() -> IpLocalReservedPorts.parse("65536"))
			.withMessageContaining("outside 0-65535");
		assertThatIllegalArgumentException().isThrownBy(() -> IpLocalReservedPorts.parse("8080,,9000"))
			.withMessageContaining("''");
		assertThatIllegalArgumentException().isThrownBy(() -> IpLocalReservedPorts.parse("-5"));
	}

}
