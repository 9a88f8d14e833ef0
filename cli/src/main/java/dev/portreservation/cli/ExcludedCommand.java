package dev.portreservation.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.windows.ExcludedPortRange;
import dev.portreservation.windows.ExcludedPortRanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code portreservation excluded [--udp] [--json]}: the port ranges Windows excludes
 * (IPv4 and IPv6 together), read from {@code netsh}, each marked administered (a
 * persistent reservation, or a range an administrator added) or held by the system
 * (Hyper-V / WinNAT / WSL / http.sys, moving at reboot). A bind there fails with
 * {@code WSAEACCES} although netstat shows nothing.
 */
@Command(name = "excluded",
		description = { "List the port ranges Windows excludes (netsh ... show excludedportrange, IPv4 and IPv6): "
				+ "administered ones (persistent reservations, ranges an administrator added) and those the system "
				+ "holds (Hyper-V / WinNAT / WSL / http.sys), which move at reboot. Windows only." })
final class ExcludedCommand extends CliCommand {

	@Mixin
	ProtocolOption protocol;

	@Override
	protected int run() {
		Protocol proto = this.protocol.protocol();
		ExcludedPortRanges.Source source = Platforms.excludedRanges()
			.orElseThrow(() -> PortReservationException
				.builder(Reason.UNSUPPORTED, "Excluded port ranges are a Windows feature; this system has none to list")
				.operation(Operation.OPEN_BACKEND)
				.problem(Problem.BACKEND_UNAVAILABLE)
				.protocol(proto)
				.build());
		List<ExcludedPortRange> ranges = source.read(proto);
		if (json()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("protocol", proto.name());
			result.put("ranges", json(ranges));
			printJson(result);
			return ExitCodes.OK;
		}
		if (ranges.isEmpty()) {
			out().println("No " + proto + " port range is excluded (or netsh could not be read).");
		}
		else {
			Table table = new Table("START", "END", "PORTS", "KIND");
			for (ExcludedPortRange range : ranges) {
				table.row(range.start(), range.end(), range.end() - range.start() + 1, kind(range));
			}
			out().print(table);
			out().println("administered: a persistent reservation or a range an administrator excluded; it stays "
					+ "until deleted. system: held by Hyper-V / WinNAT / WSL / http.sys; moves at reboot.");
			out().println("A bind to a port in these ranges fails with WSAEACCES (10013) although netstat shows no "
					+ "socket; 'portreservation check START COUNT" + ((proto == Protocol.UDP) ? " --udp" : "")
					+ "' tells whether a block is clear.");
		}
		out().flush();
		return ExitCodes.OK;
	}

	static String kind(ExcludedPortRange range) {
		return range.administered() ? "administered" : "system";
	}

	static List<Object> json(List<ExcludedPortRange> ranges) {
		List<Object> json = new ArrayList<>();
		for (ExcludedPortRange range : ranges) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("start", range.start());
			row.put("end", range.end());
			row.put("administered", range.administered());
			row.put("kind", kind(range).toUpperCase(Locale.ROOT));
			row.put("holder", range.holder());
			json.add(row);
		}
		return json;
	}

}
