package dev.portreservation.portable;

import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.windows.ExcludedPortRange;
import dev.portreservation.windows.ExcludedPortRanges;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The portable fallback as it runs on Windows, fed a netsh listing: its blocks stay clear
 * of the excluded ranges (Hyper-V / WinNAT / WSL take ranges where binds fail; an
 * administered range is someone else's), whether the OS-chosen search picks them or a
 * caller names them. Without the ranges, about half of the blocks chosen below would fall
 * inside one.
 */
class PortableExcludedRangesTests {

	/**
	 * The lower half of the fallback's search range taken by system rows and an
	 * administered one, in netsh's own format.
	 */
	private static final String NETSH = """

			Protocol tcp Port Exclusion Ranges

			Start Port    End Port
			----------    --------
			     49152       51151
			     51152       53151
			     53152       55151
			     55152       57343     *

			* - Administered port exclusions.
			""";

	private final List<ExcludedPortRange> ranges = ExcludedPortRanges.parse(NETSH);

	private final PortablePortReservations backend = new PortablePortReservations(PortHolders.none(),
			(protocol, block) -> ExcludedPortRanges.describeOverlap(this.ranges, protocol, block));

	@Test
	void blocksTheFallbackChoosesAreClearOfEveryExcludedRange() {
		assertThat(this.ranges).hasSize(4);
		List<PortBlock> overlapping = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, 64)) {
				if (!ExcludedPortRanges.overlapping(this.ranges, reservation.block()).isEmpty()) {
					overlapping.add(reservation.block());
				}
			}
		}
		assertThat(overlapping).as("blocks inside an excluded range").isEmpty();
	}

	@Test
	void aNamedBlockInsideASystemRangeIsRefusedNamingTheRange() {
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.acquireRuntime(Protocol.TCP, new PortBlock(50000, 8)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT);
				assertThat(ex.getProblem()).contains(Problem.EXCLUDED_PORT_RANGE);
				assertThat(ex.getMessage()).contains("49152-51151");
			});
	}

	@Test
	void aNamedPersistentBlockInsideAnAdministeredRangeIsRefused() {
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> this.backend.createPersistent(Protocol.TCP, new PortBlock(57300, 100)))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).contains(Problem.EXCLUDED_PORT_RANGE);
				assertThat(ex.getMessage()).contains("55152-57343");
			});
	}

	@Test
	void aBlockClearOfTheRangesIsReservedAsBefore() {
		try (PortReservation reservation = this.backend.acquireRuntime(Protocol.TCP, new PortBlock(57344, 8))) {
			assertThat(reservation.block()).isEqualTo(new PortBlock(57344, 8));
		}
	}

}
