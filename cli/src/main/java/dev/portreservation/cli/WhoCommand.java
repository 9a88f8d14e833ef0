package dev.portreservation.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code portreservation who PORT [--udp]}: who holds a port.
 */
@Command(name = "who",
		description = { "Show who holds a port: processes with a socket on it (listening, "
				+ "connected, bound), connections in TIME_WAIT, blocks of this library held by a process, and (Linux) "
				+ "whether ip_local_reserved_ports reserves it, in this network namespace (ports are per namespace). "
				+ "Without root, other users' processes show no pid." })
final class WhoCommand extends CliCommand {

	@Parameters(index = "0", paramLabel = "PORT", description = "The port (1-65535).")
	String port;

	@Mixin
	ProtocolOption protocol;

	@Override
	protected int run() {
		int number = Numbers.port(this.spec, "PORT", this.port);
		List<PortHolder> holders = Platforms.holders().find(this.protocol.protocol(), number);
		List<String> reserved = Reservations.describe(this.protocol.protocol(), new PortBlock(number, 1));
		if (json()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("protocol", this.protocol.protocol().name());
			result.put("port", number);
			result.put("holders", Holders.json(holders));
			result.put("reserved", reserved);
			printJson(result);
			return ExitCodes.OK;
		}
		if (holders.isEmpty()) {
			out()
				.println("No process visible to this user holds " + this.protocol.protocol() + " port " + number + ".");
		}
		else {
			out().print(Holders.table(holders));
		}
		for (String line : reserved) {
			out().println("reserved: " + line);
		}
		if (Platforms.isWindows()) {
			out().println("note: a runtime reservation of another process (SIO_ACQUIRE_PORT_RESERVATION) is not "
					+ "listed by any Windows API; 'portreservation check " + number + " 1' tells whether the port is "
					+ "free");
		}
		out().flush();
		return ExitCodes.OK;
	}

}
