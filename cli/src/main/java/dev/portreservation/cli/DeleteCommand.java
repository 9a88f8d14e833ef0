package dev.portreservation.cli;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservations;
import picocli.CommandLine.Command;

/**
 * {@code portreservation delete START COUNT [--udp]}: deletes a persistent block through
 * the library's backend ({@link PortReservations#deletePersistent}): only exactly that
 * block, and on Linux only the sysctl entry this library added (an administrator's entry
 * stays).
 */
@Command(name = "delete",
		description = { "Delete a persistent block (exactly START COUNT as created). On Linux "
				+ "only the ip_local_reserved_ports entry this library added is removed; needs the same privilege as "
				+ "create." })
final class DeleteCommand extends BlockCommand {

	@Override
	protected int run() {
		PortBlock block = this.arguments.block();
		PortReservations backend = Platforms.backend();
		backend.deletePersistent(this.protocol.protocol(), block);
		return reportPersistentChange("deleted", block, backend, "");
	}

}
