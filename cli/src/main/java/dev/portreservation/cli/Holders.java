package dev.portreservation.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortHolder;

/**
 * Holders as table rows and JSON objects.
 */
final class Holders {

	private Holders() {
	}

	static Table table(List<PortHolder> holders) {
		Table table = new Table("PORT", "PROTO", "PID", "UID", "HOW", "COMMAND");
		for (PortHolder holder : holders) {
			table.row(holder.port(), holder.protocol(), holder.pidKnown() ? holder.pid() : "?",
					(holder.uid() != PortHolder.UNKNOWN) ? holder.uid() : "?", how(holder), holder.shortCommand());
		}
		return table;
	}

	static String how(PortHolder holder) {
		return switch (holder.kind()) {
			case SOCKET -> holder.state() + " " + address(holder) + ":" + holder.port();
			case RUNTIME_BLOCK -> "runtime block " + holder.block() + leasedTo(holder);
			case PERSISTENT_BLOCK -> "persistent block " + holder.block() + leasedTo(holder);
		};
	}

	private static String leasedTo(PortHolder holder) {
		return (holder.leaseOwner() != null) ? ", leased to " + holder.leaseOwner() : "";
	}

	private static String address(PortHolder holder) {
		String address = holder.localAddress();
		return (address == null) ? "*" : address.contains(":") ? "[" + address + "]" : address;
	}

	static List<Object> json(List<PortHolder> holders) {
		List<Object> list = new ArrayList<>();
		for (PortHolder holder : holders) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("port", holder.port());
			item.put("protocol", holder.protocol().name());
			item.put("kind", holder.kind().name());
			item.put("state", holder.state());
			item.put("localAddress", holder.localAddress());
			item.put("block", (holder.block() != null) ? holder.block().toString() : null);
			item.put("pid", holder.pidKnown() ? holder.pid() : null);
			item.put("uid", (holder.uid() != PortHolder.UNKNOWN) ? holder.uid() : null);
			item.put("command", holder.command());
			item.put("leaseOwner", holder.leaseOwner());
			item.put("commandSummary", holder.shortCommand());
			item.put("description", holder.describe());
			list.add(item);
		}
		return list;
	}

}
