package dev.portreservation.linux;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * A read-only view, for operators ({@code portreservation list / check / who}), of what
 * this network namespace reserves: the kernel's {@code ip_local_reserved_ports}, the
 * persistent block records of a state directory, and the processes holding blocks
 * ({@link HolderRecords}). Changes go through {@link LinuxPortReservations}, never
 * through this class.
 */
public final class LinuxInventory {

	private final Path reservedPortsFile;

	private final Path namespaceDirectory;

	/**
	 * @param backend the backend whose state directory to read
	 */
	public LinuxInventory(LinuxPortReservations backend) {
		this(LinuxPortReservations.RESERVED_PORTS, backend.stateDirectory());
	}

	LinuxInventory(Path reservedPortsFile, Path namespaceDirectory) {
		this.reservedPortsFile = reservedPortsFile;
		this.namespaceDirectory = namespaceDirectory;
	}

	/**
	 * @return the sysctl file read
	 */
	public Path reservedPortsFile() {
		return this.reservedPortsFile;
	}

	/**
	 * @return the directory of this network namespace's persistent block records
	 */
	public Path recordDirectory() {
		return this.namespaceDirectory;
	}

	/**
	 * @return the ports the kernel keeps out of automatic assignment, as maximal runs,
	 * lowest first
	 * @throws IOException when the sysctl cannot be read
	 */
	public List<PortBlock> reservedPorts() throws IOException {
		List<PortBlock> blocks = new ArrayList<>();
		for (int[] range : IpLocalReservedPorts.parse(ProcFile.read(this.reservedPortsFile)).ranges()) {
			// Port 0 can be written to the sysctl but is no port anyone binds.
			int start = Math.max(range[0], 1);
			if (start <= range[1]) {
				blocks.add(new PortBlock(start, range[1] - start + 1));
			}
		}
		return blocks;
	}

	/**
	 * @return the persistent blocks recorded for this network namespace, with whether
	 * each is still in the sysctl; records that do not parse are returned with
	 * {@code block == null} and the problem in {@code problem}
	 */
	public List<PersistentRecord> persistentBlocks() {
		List<PersistentRecord> records = new ArrayList<>();
		if (!Files.isDirectory(this.namespaceDirectory, LinkOption.NOFOLLOW_LINKS)) {
			return records;
		}
		IpLocalReservedPorts reserved;
		try {
			reserved = IpLocalReservedPorts.parse(ProcFile.read(this.reservedPortsFile));
		}
		catch (IOException | IllegalArgumentException ex) {
			reserved = IpLocalReservedPorts.none();
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.namespaceDirectory, "*.properties")) {
			for (Path file : files) {
				records.add(read(file, reserved));
			}
		}
		catch (IOException ex) {
			records.add(new PersistentRecord(null, null, false, false, null, null, this.namespaceDirectory,
					"not readable: " + ex.getMessage()));
		}
		records.sort((a, b) -> Integer.compare((a.block() != null) ? a.block().startPort() : 0,
				(b.block() != null) ? b.block().startPort() : 0));
		return records;
	}

	private static PersistentRecord read(Path file, IpLocalReservedPorts reserved) {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			properties.load(reader);
			Protocol protocol = Protocol.valueOf(properties.getProperty("protocol"));
			PortBlock block = PortBlock.parse(properties.getProperty("block"));
			return new PersistentRecord(protocol, block, "added".equals(properties.getProperty("sysctl-entry")),
					reserved.containsAll(block), properties.getProperty("pid"), properties.getProperty("created"), file,
					null);
		}
		catch (IOException | RuntimeException ex) {
			return new PersistentRecord(null, null, false, false, null, null, file, "damaged: " + ex.getMessage());
		}
	}

	/**
	 * A persistent block's record.
	 *
	 * @param protocol the protocol, {@code null} when the record is damaged
	 * @param block the block, {@code null} when the record is damaged
	 * @param addedToSysctl whether this library wrote the sysctl entry (else it adopted
	 * an administrator's)
	 * @param live whether every port of the block is still in the sysctl (a stale record
	 * is deleted at the next look-up)
	 * @param createdByPid the pid that created it, as recorded
	 * @param created when it was created, as recorded
	 * @param file the record file
	 * @param problem why the record could not be read, or {@code null}
	 */
	public record PersistentRecord(Protocol protocol, PortBlock block, boolean addedToSysctl, boolean live,
			String createdByPid, String created, Path file, String problem) {
	}

}
