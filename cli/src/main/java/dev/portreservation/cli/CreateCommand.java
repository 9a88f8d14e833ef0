package dev.portreservation.cli;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import picocli.CommandLine.Command;

/**
 * {@code portreservation create START COUNT [--udp]}: records a persistent block, through
 * the library's backend ({@link PortReservations#createPersistent}), so every rule the
 * library applies applies here.
 */
@Command(name = "create",
		description = { "Create a persistent block (Linux: ip_local_reserved_ports entry and "
				+ "record, needs root / CAP_NET_ADMIN; Windows: CreatePersistent{Tcp,Udp}PortReservation, needs an "
				+ "elevated administrator). Applications configured with the block then bind from it." })
final class CreateCommand extends BlockCommand {

	@Override
	protected int run() {
		PortBlock block = this.arguments.block();
		PortReservations backend = Platforms.backend();
		try (PortReservation created = backend.createPersistent(this.protocol.protocol(), block)) {
			// Closing the object releases nothing: the block stays until deleted.
		}
		return reportPersistentChange("created", block, backend,
				" Applications use it with portreservation.kind=persistent, start-port=" + block.startPort()
						+ ", count=" + block.count() + "; 'portreservation delete " + block.startPort() + " "
						+ block.count() + "' removes it.");
	}

	@Override
	protected String fix(PortReservationException failure) {
		if (failure.getReason() == Reason.CONFLICT) {
			return "'portreservation list' shows the recorded blocks and reserved ports, 'portreservation check "
					+ "START COUNT' what is in the way; choose a block outside them (a block recorded already is used "
					+ "as it is, no need to create it)";
		}
		return super.fix(failure);
	}

}
