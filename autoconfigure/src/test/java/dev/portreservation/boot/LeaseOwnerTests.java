package dev.portreservation.boot;

import dev.portreservation.boot.web.ServerRole;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner labels this starter binds with are the ones the meters, the health indicator
 * and the endpoint read back: one type names them.
 */
class LeaseOwnerTests {

	@Test
	void everyLabelTheStarterBindsWithIsReadBackAsItsOwner() {
		assertThat(LeaseOwner.of(ServerRole.SERVER.owner())).isEqualTo(LeaseOwner.SERVER);
		assertThat(LeaseOwner.of(ServerRole.MANAGEMENT.owner())).isEqualTo(LeaseOwner.MANAGEMENT);
		assertThat(LeaseOwner.of(LeaseOwner.connector(1))).isEqualTo(LeaseOwner.CONNECTOR);
		assertThat(LeaseOwner.of(LeaseOwner.connector(12))).isEqualTo(LeaseOwner.CONNECTOR);
		assertThat(LeaseOwner.of(PortReservation.DEFAULT_OWNER)).isEqualTo(LeaseOwner.APPLICATION);
		assertThat(LeaseOwner.of("web")).isEqualTo(LeaseOwner.APPLICATION);
		assertThat(LeaseOwner.of(null)).isEqualTo(LeaseOwner.APPLICATION);
	}

}
