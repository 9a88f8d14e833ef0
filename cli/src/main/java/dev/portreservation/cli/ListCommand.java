package dev.portreservation.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.portreservation.core.CommandLineSummary;
import dev.portreservation.core.PortBlock;
import dev.portreservation.linux.HolderRecords;
import dev.portreservation.linux.LinuxInventory;
import dev.portreservation.linux.LinuxProcesses;
import picocli.CommandLine.Command;

/**
 * {@code portreservation list}: the reservations the OS and this library know of.
 */
@Command(name = "list", description = { "List reserved blocks: on Linux the persistent block records, the "
		+ "processes holding blocks (holder registry) and the kernel's ip_local_reserved_ports, all of this network "
		+ "namespace only (ports are per namespace; run it inside another one with nsenter --net); on Windows how "
		+ "to see the persistent reservations (Windows has no API that lists them)." })
final class ListCommand extends CliCommand {

	static final String WINDOWS_NOTE = "Windows offers no API that lists persistent port reservations: 'netsh "
			+ "interface ipv4 show excludedportrange protocol=tcp' (and protocol=udp) lists every reserved range; "
			+ "'portreservation check START COUNT' tells whether a block is free and who is in the way.";

	@Override
	protected int run() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("backend", Platforms.backend().name());
		List<String> notes = new ArrayList<>();
		Optional<LinuxInventory> inventory = Platforms.inventory();
		if (inventory.isEmpty()) {
			notes.add(Platforms.isWindows() ? WINDOWS_NOTE
					: "The portable backend keeps blocks inside one JVM: there is nothing to list outside it.");
			result.put("notes", notes);
			print(result, null, null, null, notes);
			return ExitCodes.OK;
		}
		LinuxInventory linux = inventory.get();
		List<LinuxInventory.PersistentRecord> records = linux.persistentBlocks();
		HolderRecords registry = HolderRecords.everyReadableUser();
		List<HolderRecords.Record> holders = new ArrayList<>();
		int elsewhere = 0;
		for (HolderRecords.Record record : registry.live()) {
			if (LinuxProcesses.inThisNetworkNamespace(record.pid()).orElse(true)) {
				holders.add(record);
			}
			else {
				elsewhere++;
			}
		}
		notes.addAll(registry.skipped());
		if (elsewhere > 0) {
			notes.add(elsewhere + ((elsewhere == 1) ? " process holds" : " processes hold") + " blocks in another "
					+ "network namespace (not listed: their ports do not collide with this namespace's; run 'nsenter "
					+ "--net=/proc/PID/ns/net portreservation list' to see them)");
		}
		List<PortBlock> reserved;
		try {
			reserved = linux.reservedPorts();
		}
		catch (IOException ex) {
			reserved = List.of();
			notes.add(linux.reservedPortsFile() + " cannot be read: " + ex.getMessage());
		}
		result.put("recordDirectory", linux.recordDirectory().toString());
		result.put("persistentBlocks", recordsJson(records));
		result.put("holders", holdersJson(holders));
		result.put("reservedPorts", reserved.stream().map(PortBlock::toString).toList());
		result.put("notes", notes);
		print(result, records, holders, reserved, notes);
		return ExitCodes.OK;
	}

	private void print(Map<String, Object> result, List<LinuxInventory.PersistentRecord> records,
			List<HolderRecords.Record> holders, List<PortBlock> reserved, List<String> notes) {
		if (json()) {
			printJson(result);
			return;
		}
		if (records != null) {
			out().println("Persistent blocks (records in " + result.get("recordDirectory") + "):");
			Table table = new Table("PROTO", "BLOCK", "PORTS", "IN SYSCTL", "SYSCTL ENTRY", "CREATED BY", "CREATED");
			for (LinuxInventory.PersistentRecord record : records) {
				if (record.problem() != null) {
					table.row("?", "?", "?", "?", "?", "?", record.file() + " " + record.problem());
					continue;
				}
				table.row(record.protocol(), record.block(), record.block().count(),
						record.live() ? "yes" : "no (stale)",
						record.addedToSysctl() ? "added" : "adopted (administrator's)",
						(record.createdByPid() != null) ? "pid " + record.createdByPid() : null, record.created());
			}
			out().print(table.isEmpty() ? "  (none)\n" : table.toString());
			out().println();
			out().println("Processes holding blocks (holder registry, this network namespace):");
			Table held = new Table("PID", "UID", "PROTO", "BLOCK", "KIND", "LEASED TO", "COMMAND");
			for (HolderRecords.Record record : holders) {
				for (HolderRecords.Block block : record.blocks()) {
					held.row(record.pid(), record.uid(), block.protocol(), block.block(),
							block.kind().name().toLowerCase(Locale.ROOT), leasedTo(record, block),
							CommandLineSummary.of(command(record)));
				}
			}
			out().print(held.isEmpty() ? "  (none)\n" : held.toString());
			out().println();
			out().println("ip_local_reserved_ports: " + (reserved.isEmpty() ? "(empty)"
					: String.join(",", reserved.stream().map(PortBlock::toString).toList())));
		}
		for (String note : notes) {
			out().println("note: " + note);
		}
		out().flush();
	}

	/** "40003 partner, 40000 tomcat": who the block's ports are leased or lent to. */
	private static String leasedTo(HolderRecords.Record record, HolderRecords.Block block) {
		List<String> leases = new ArrayList<>();
		for (HolderRecords.Lease lease : record.leases()) {
			if (lease.protocol() == block.protocol() && block.block().contains(lease.port())) {
				leases.add(lease.port() + " " + lease.owner());
			}
		}
		return leases.isEmpty() ? null : String.join(", ", leases);
	}

	private static List<Object> recordsJson(List<LinuxInventory.PersistentRecord> records) {
		List<Object> list = new ArrayList<>();
		for (LinuxInventory.PersistentRecord record : records) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("protocol", (record.protocol() != null) ? record.protocol().name() : null);
			item.put("block", (record.block() != null) ? record.block().toString() : null);
			item.put("startPort", (record.block() != null) ? record.block().startPort() : null);
			item.put("count", (record.block() != null) ? record.block().count() : null);
			item.put("inSysctl", record.live());
			item.put("sysctlEntry", record.addedToSysctl() ? "added" : "adopted");
			item.put("createdByPid", record.createdByPid());
			item.put("created", record.created());
			item.put("file", record.file().toString());
			item.put("problem", record.problem());
			list.add(item);
		}
		return list;
	}

	// The record keeps a bounded command line: the live process's is read in full.
	private static String command(HolderRecords.Record record) {
		return LinuxProcesses.commandLine(record.pid()).orElse(record.command());
	}

	private static List<Object> holdersJson(List<HolderRecords.Record> holders) {
		List<Object> list = new ArrayList<>();
		for (HolderRecords.Record record : holders) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("pid", record.pid());
			item.put("uid", record.uid());
			item.put("command", command(record));
			item.put("commandSummary", CommandLineSummary.of(command(record)));
			List<Object> blocks = new ArrayList<>();
			for (HolderRecords.Block block : record.blocks()) {
				Map<String, Object> held = new LinkedHashMap<>();
				held.put("protocol", block.protocol().name());
				held.put("block", block.block().toString());
				held.put("kind", block.kind().name());
				List<Object> leases = new ArrayList<>();
				for (HolderRecords.Lease lease : record.leases()) {
					if (lease.protocol() == block.protocol() && block.block().contains(lease.port())) {
						Map<String, Object> leased = new LinkedHashMap<>();
						leased.put("port", lease.port());
						leased.put("owner", lease.owner());
						leases.add(leased);
					}
				}
				held.put("leases", leases);
				blocks.add(held);
			}
			item.put("blocks", blocks);
			list.add(item);
		}
		return list;
	}

}
