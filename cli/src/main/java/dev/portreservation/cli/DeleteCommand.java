package dev.portreservation.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class DeleteCommand extends CliCommand {

	@Mixin
	BlockArguments arguments;

	@Mixin
	ProtocolOption protocol;

	@Override
	protected int run() {
		PortBlock block = this.arguments.block();
		PortReservations backend = Platforms.backend();
		backend.deletePersistent(this.protocol.protocol(), block);
		if (json()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("deleted", true);
			result.put("protocol", this.protocol.protocol().name());
			result.put("block", block.toString());
			result.put("backend", backend.name());
			printJson(result);
		}
		else {
			out().println("Deleted persistent " + this.protocol.protocol() + " block " + block + " (" + backend.name()
					+ " backend).");
			out().flush();
		}
		return ExitCodes.OK;
	}

}
