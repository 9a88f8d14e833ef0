package dev.portreservation.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.windows.ExcludedPortRange;
import dev.portreservation.windows.ExcludedPortRanges;
import picocli.CommandLine.Command;

/**
 * {@code portreservation check START COUNT [--udp]}: would this block be free, and what
 * is in the way. The answer is the OS's: the block is reserved as a runtime block (as the
 * library would) for an instant and given back at once.
 */
@Command(name = "check", description = { "Tell whether a block could be reserved now, and what is in the way. "
		+ "Asks the OS by reserving the block as a runtime block for an instant and giving it back at once." })
final class CheckCommand extends BlockCommand {

	@Override
	protected int run() {
		PortBlock block = this.arguments.block();
		Protocol proto = this.protocol.protocol();
		PortReservationException refusal = null;
		try (PortReservation held = Platforms.backend().acquireRuntime(proto, block)) {
			// Reserved: nothing is in the way. Closing gives it back.
		}
		catch (PortReservationException ex) {
			if (ex.getReason() != Reason.CONFLICT && ex.getReason() != Reason.EXHAUSTED) {
				throw ex;
			}
			refusal = ex;
		}
		List<PortHolder> inTheWay = Platforms.holders().find(proto, block);
		List<String> reserved = Reservations.describe(proto, block);
		List<ExcludedPortRange> excluded = Platforms.excludedRanges()
			.map((source) -> ExcludedPortRanges.overlapping(source.read(proto), block))
			.orElse(List.of());
		boolean free = refusal == null;
		if (json()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("protocol", proto.name());
			result.put("block", block.toString());
			result.put("startPort", block.startPort());
			result.put("count", block.count());
			result.put("free", free);
			result.put("reason", free ? null : refusal.getReason().name());
			result.put("message", free ? null : refusal.getMessage());
			result.put("inTheWay", Holders.json(inTheWay));
			result.put("reserved", reserved);
			result.put("excluded", ExcludedCommand.json(excluded));
			printJson(result);
		}
		else {
			if (free) {
				out().println(proto + " block " + block + " (" + block.count() + " port"
						+ ((block.count() == 1) ? "" : "s") + ") is free: the OS let this process reserve it.");
			}
			else {
				out().println(proto + " block " + block + " is NOT free: " + refusal.getMessage());
			}
			if (!inTheWay.isEmpty()) {
				out().println(free ? "Sockets on its ports that do not stop a reservation (TIME_WAIT connections end "
						+ "by themselves):" : "In the way:");
				out().print(Holders.table(inTheWay));
			}
			for (String line : reserved) {
				out().println("reserved: " + line);
			}
			for (ExcludedPortRange range : excluded) {
				out().println("excluded by Windows: " + range.start() + "-" + range.end() + " ("
						+ ExcludedCommand.kind(range) + ": " + range.holder() + ")");
			}
			if (!free) {
				out().println("fix: choose another block, or stop what is in the way (a persistent block: "
						+ "'portreservation delete START COUNT')"
						+ (excluded.isEmpty() ? "" : "; a range the system holds moves at reboot: create the block "
								+ "as a persistent one, elevated ('portreservation create START COUNT'), while it is clear"));
			}
			out().flush();
		}
		return free ? ExitCodes.OK : ExitCodes.NOT_FREE;
	}

}
