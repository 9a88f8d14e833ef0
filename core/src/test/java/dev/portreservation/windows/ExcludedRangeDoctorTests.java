package dev.portreservation.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The excluded-range doctor on the simulator: a block the system holds as an excluded
 * range (here a runtime reservation of the simulator, as WinNAT's are, listed by a netsh
 * stand-in) refuses a reservation over it, and the failure names the range, what kind of
 * range it is, a start port that is clear and free right now, and the persistent way out;
 * blocks Windows chooses never overlap a listed range.
 */
class ExcludedRangeDoctorTests {

	private final List<ExcludedPortRange> listed = new CopyOnWriteArrayList<>();

	private final List<PortReservation> system = new ArrayList<>();

	private WindowsPortReservations backend;

	@BeforeEach
	void simulator() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		this.backend = new WindowsPortReservations(WindowsSimulator.winSock(), WindowsSimulator.ipHelper(),
				ChannelHandles.forThisJvm(), new WindowsPortHolders(WindowsSimulator.LIBRARY.toString()),
				(protocol) -> List.copyOf(this.listed));
	}

	@AfterEach
	void giveBack() {
		this.system.forEach(PortReservation::close);
		WindowsSimulator.reset(false);
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aReservationOverASystemRangeNamesItAndAStartThatIsFreeNow(Protocol protocol) {
		PortBlock excluded = WindowsSimulator.freeBlock(this.backend, 6);
		this.system.add(this.backend.acquireRuntime(protocol, excluded));
		this.listed.add(new ExcludedPortRange(excluded.startPort(), excluded.endPort(), false));
		PortBlock wanted = new PortBlock(excluded.startPort() + 2, 3);
		PortReservationException failure = catchFailure(() -> this.backend.acquireRuntime(protocol, wanted));
		assertThat(failure.getReason()).isEqualTo(Reason.CONFLICT);
		assertThat(failure.getProblem()).contains(Problem.EXCLUDED_PORT_RANGE);
		assertThat(failure.getNativeCode()).contains((long) WinSock.WSAEADDRINUSE);
		assertThat(failure.getMessage()).contains(excluded.startPort() + "-" + excluded.endPort())
			.contains("held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot")
			.contains("netstat shows no socket there")
			.contains("portreservation create " + wanted.startPort() + " " + wanted.count())
			.contains("use it as a persistent block");
		int suggested = suggestedStart(failure);
		PortBlock clear = new PortBlock(suggested, wanted.count());
		assertThat(ExcludedPortRanges.overlapping(this.listed, clear)).isEmpty();
		try (PortReservation taken = this.backend.acquireRuntime(protocol, clear)) {
			assertThat(taken.block()).isEqualTo(clear);
		}
	}

	@Test
	void aPersistentBlockOverAnAdministeredRangeSaysAdministered() {
		PortBlock excluded = WindowsSimulator.freeBlock(this.backend, 4);
		this.backend.createPersistent(Protocol.TCP, excluded).close();
		this.listed.add(new ExcludedPortRange(excluded.startPort(), excluded.endPort(), true));
		try {
			PortReservationException failure = catchFailure(
					() -> this.backend.createPersistent(Protocol.TCP, new PortBlock(excluded.endPort(), 2)));
			assertThat(failure.getReason()).isEqualTo(Reason.CONFLICT);
			assertThat(failure.getProblem()).contains(Problem.EXCLUDED_PORT_RANGE);
			assertThat(failure.getNativeCode()).contains((long) IpHelper.ERROR_SHARING_VIOLATION);
			assertThat(failure.getMessage()).contains(excluded.startPort() + "-" + excluded.endPort() + " *")
				.contains("administered")
				.doesNotContain("moves at reboot");
		}
		finally {
			this.backend.deletePersistent(Protocol.TCP, excluded);
		}
	}

	@Test
	void aConflictOutsideEveryExcludedRangeIsLeftAsItIs() {
		PortBlock held = WindowsSimulator.freeBlock(this.backend, 4);
		this.system.add(this.backend.acquireRuntime(Protocol.TCP, held));
		this.listed.add(new ExcludedPortRange(1, 1023, false));
		PortReservationException failure = catchFailure(() -> this.backend.acquireRuntime(Protocol.TCP, held));
		assertThat(failure.getReason()).isEqualTo(Reason.CONFLICT);
		assertThat(failure.getProblem()).isEmpty();
		assertThat(failure.getMessage()).doesNotContain("excludes");
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aBlockWindowsChoosesIsClearOfEveryListedRangeAndNothingElseStaysReserved(Protocol protocol) {
		// Whatever Windows offers first is listed as excluded: the backend asks again.
		PortBlock first;
		try (PortReservation probe = this.backend.acquireRuntime(protocol, 4)) {
			first = probe.block();
		}
		this.listed.add(new ExcludedPortRange(first.startPort(), first.endPort(), false));
		try (PortReservation chosen = this.backend.acquireRuntime(protocol, 4)) {
			assertThat(ExcludedPortRanges.overlapping(this.listed, chosen.block())).isEmpty();
			assertThat(WindowsSimulator.controls().winsim_runtime_count()).isEqualTo(1);
		}
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isZero();
	}

	@Test
	void windowsOfferingOnlyExcludedBlocksIsExhaustedAndHoldsNothing() {
		this.listed.add(new ExcludedPortRange(1, 65535, false));
		PortReservationException failure = catchFailure(() -> this.backend.acquireRuntime(Protocol.TCP, 2));
		assertThat(failure.getReason()).isEqualTo(Reason.EXHAUSTED);
		assertThat(failure.getMessage()).contains("overlap an excluded port range")
			.contains("portreservation excluded");
		assertThat(WindowsSimulator.controls().winsim_runtime_count()).isZero();
	}

	private static int suggestedStart(PortReservationException failure) {
		Matcher start = Pattern.compile("start the block at port (\\d+)").matcher(failure.getMessage());
		assertThat(start.find()).as("a suggested start in: %s", failure.getMessage()).isTrue();
		return Integer.parseInt(start.group(1));
	}

	private static PortReservationException catchFailure(Runnable call) {
		return assertThatExceptionOfType(PortReservationException.class).isThrownBy(call::run).actual();
	}

}
