package dev.portreservation.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.LinuxInventory;

/**
 * What the Linux kernel's {@code ip_local_reserved_ports} says about ports, and which
 * persistent record of this library explains it.
 */
final class Reservations {

	private Reservations() {
	}

	/**
	 * @param protocol the protocol asked about
	 * @param ports the ports
	 * @return one line per reserved run inside the ports, naming the record that explains
	 * it; empty off Linux
	 */
	static List<String> describe(Protocol protocol, PortBlock ports) {
		List<String> lines = new ArrayList<>();
		Optional<LinuxInventory> inventory = Platforms.inventory();
		if (inventory.isEmpty()) {
			return lines;
		}
		List<PortBlock> reserved;
		try {
			reserved = inventory.get().reservedPorts();
		}
		catch (IOException ex) {
			return lines;
		}
		List<LinuxInventory.PersistentRecord> records = inventory.get().persistentBlocks();
		for (PortBlock run : reserved) {
			if (!run.overlaps(ports)) {
				continue;
			}
			int start = Math.max(run.startPort(), ports.startPort());
			int end = Math.min(run.endPort(), ports.endPort());
			PortBlock inside = new PortBlock(start, end - start + 1);
			String owner = records.stream()
				.filter((record) -> record.block() != null && record.block().overlaps(inside))
				.map((record) -> "persistent " + record.protocol() + " block " + record.block() + " of portreservation")
				.reduce((a, b) -> a + ", " + b)
				.orElse("not recorded by portreservation: an administrator's entry, or another tool's");
			String which = (inside.count() == 1) ? "port " + inside + " is" : "ports " + inside + " are";
			lines.add(which + " in ip_local_reserved_ports (" + owner + "), kept from automatic assignment for "
					+ "TCP and UDP alike");
		}
		return lines;
	}

}
