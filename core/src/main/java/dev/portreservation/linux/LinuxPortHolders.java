package dev.portreservation.linux;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * Who has ports on Linux:
 * <ul>
 * <li>sockets the kernel lists ({@link KernelSockets}: listening, connected, bound UDP,
 * bound-only TCP on Linux 6.5 and later, and {@code TIME_WAIT} connections, which no
 * process owns), each traced to its process through the {@code socket:[inode]} links of
 * {@code /proc/PID/fd} and named by {@code /proc/PID/cmdline};</li>
 * <li>blocks of this library, from the per-process holder registry
 * ({@link HolderRecords}): a runtime block's holder sockets are bound but never listen,
 * so they are not in those tables (TCP) or show no process that would explain them.</li>
 * </ul>
 * Only this network namespace's holders are listed: its socket tables, and the registry
 * records of processes in it (a record whose process's namespace cannot be read, another
 * user's without root, is kept). Without root, other users' processes show their uid but
 * no pid (their {@code /proc/PID/fd} is closed).
 */
public final class LinuxPortHolders implements PortHolders {

	private final HolderRecords registry;

	/**
	 * The look-up over this network namespace's sockets and every readable holder
	 * registry.
	 */
	public LinuxPortHolders() {
		this(HolderRecords.everyReadableUser());
	}

	/**
	 * @param registry the holder registry to read
	 */
	public LinuxPortHolders(HolderRecords registry) {
		this.registry = registry;
	}

	@Override
	public List<PortHolder> find(Protocol protocol, PortBlock ports) {
		Set<PortHolder> holders = new LinkedHashSet<>();
		try {
			holders.addAll(sockets(protocol, ports));
		}
		catch (RuntimeException ex) {
			// Naming the holder must never hide the failure it explains.
		}
		try {
			holders.addAll(blocks(protocol, ports));
		}
		catch (RuntimeException ex) {
			// Same.
		}
		List<PortHolder> sorted = new ArrayList<>(withoutHoldersOfNamedBlocks(holders));
		sorted.sort(Comparator.comparingInt(PortHolder::port)
			.thenComparing(PortHolder::kind)
			.thenComparingLong(PortHolder::pid));
		return List.copyOf(sorted);
	}

	private List<PortHolder> sockets(Protocol protocol, PortBlock ports) {
		return named(protocol, KernelSockets.read(protocol, ports).entries());
	}

	/**
	 * @param protocol the protocol
	 * @param entries sockets the kernel listed
	 * @return each socket named by its process and command where {@code /proc} shows them
	 */
	static List<PortHolder> named(Protocol protocol, List<ProcNetSockets.Entry> entries) {
		Set<Long> inodes = new LinkedHashSet<>();
		for (ProcNetSockets.Entry entry : entries) {
			if (entry.inode() != 0) {
				inodes.add(entry.inode());
			}
		}
		Map<Long, Long> owners = ProcessSockets.owners(inodes);
		Map<Long, String> commands = new HashMap<>();
		List<PortHolder> holders = new ArrayList<>();
		for (ProcNetSockets.Entry entry : entries) {
			Long pid = owners.get(entry.inode());
			String command = (pid != null)
					? commands.computeIfAbsent(pid, (known) -> ProcessSockets.commandLine(known).orElse(null)) : null;
			holders.add(PortHolder.socket(protocol, entry.port(), entry.state(), entry.localAddress(),
					(pid != null) ? pid : PortHolder.UNKNOWN, command, entry.uid()));
		}
		return holders;
	}

	/**
	 * The kernel lists bound-only sockets (Linux 6.5 and later), so a block's holder
	 * socket would be named twice: as a bound socket and as the block its process's
	 * record names. The block says more (its range, who a port is leased to); the bound
	 * socket of that process on that port goes.
	 */
	private static List<PortHolder> withoutHoldersOfNamedBlocks(Set<PortHolder> holders) {
		List<PortHolder> kept = new ArrayList<>();
		for (PortHolder holder : holders) {
			boolean holderOfANamedBlock = holder.kind() == PortHolder.Kind.SOCKET && "BOUND".equals(holder.state())
					&& holders.stream()
						.anyMatch((other) -> other.kind() == PortHolder.Kind.RUNTIME_BLOCK
								&& other.pid() == holder.pid() && other.port() == holder.port());
			if (!holderOfANamedBlock) {
				kept.add(holder);
			}
		}
		return kept;
	}

	private List<PortHolder> blocks(Protocol protocol, PortBlock ports) {
		List<PortHolder> holders = new ArrayList<>();
		for (HolderRecords.Record record : this.registry.live()) {
			if (!LinuxProcesses.inThisNetworkNamespace(record.pid()).orElse(true)) {
				// Its blocks are ports of another namespace: they keep nothing off ours.
				continue;
			}
			for (HolderRecords.Block held : record.blocks()) {
				if (held.protocol() != protocol || !held.block().overlaps(ports)) {
					continue;
				}
				int firstShared = Math.max(held.block().startPort(), ports.startPort());
				PortHolder.Kind kind = (held.kind() == ReservationKind.RUNTIME) ? PortHolder.Kind.RUNTIME_BLOCK
						: PortHolder.Kind.PERSISTENT_BLOCK;
				// The record's copy is cut short: read the whole command line.
				String command = LinuxProcesses.commandLine(record.pid())
					.orElse(record.command().isEmpty() ? null : record.command());
				PortHolder holder = PortHolder.block(protocol, firstShared, kind, held.block(), record.pid(), command,
						record.uid());
				// The ports of the block the process has leased or lent to a named owner,
				// one
				// row each; the block's first shared port in any case.
				boolean firstSharedNamed = false;
				for (HolderRecords.Lease lease : record.leases()) {
					if (lease.protocol() == protocol && ports.contains(lease.port())
							&& held.block().contains(lease.port())) {
						holders.add(PortHolder
							.block(protocol, lease.port(), kind, held.block(), record.pid(), command, record.uid())
							.withLeaseOwner(lease.owner()));
						firstSharedNamed |= lease.port() == firstShared;
					}
				}
				if (!firstSharedNamed) {
					holders.add(holder);
				}
			}
		}
		return holders;
	}

}
