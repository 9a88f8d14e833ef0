package dev.portreservation.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * The sysctl file {@code /proc/sys/net/ipv4/ip_local_reserved_ports} (in tests an
 * ordinary file standing in for it): read and written whole, as the kernel takes it, each
 * write checked by reading the list back. Which ports may be added or removed is
 * {@link PersistentBlockStore}'s policy, applied under its lock; this class only moves
 * the list ({@link IpLocalReservedPorts}) in and out.
 */
final class IpLocalReservedPortsFile {

	private final Path file;

	/**
	 * @param file the sysctl file, or a stand-in
	 */
	IpLocalReservedPortsFile(Path file) {
		this.file = file;
	}

	/**
	 * @return the file
	 */
	Path path() {
		return this.file;
	}

	/**
	 * @return the list, or none when it cannot be read (for a check that only avoids
	 * ports, never for a change)
	 */
	IpLocalReservedPorts readOrNone() {
		try {
			return IpLocalReservedPorts.parse(ProcFile.read(this.file));
		}
		catch (IOException | IllegalArgumentException ex) {
			return IpLocalReservedPorts.none();
		}
	}

	/**
	 * Reads the list.
	 * @param operation for the error
	 * @param protocol for the error
	 * @param block for the error
	 * @return the reserved ports
	 */
	IpLocalReservedPorts read(Operation operation, Protocol protocol, PortBlock block) {
		try {
			return IpLocalReservedPorts.parse(ProcFile.read(this.file));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw LinuxErrors.stateFile(operation, protocol, block, null, "Reading " + this.file + " failed", ex);
		}
	}

	/**
	 * Writes the whole list and reads it back.
	 * @param operation for the error
	 * @param protocol for the error
	 * @param block for the error
	 * @param wanted the list to write
	 * @throws dev.portreservation.core.PortReservationException when it cannot be written
	 * or reads back otherwise
	 */
	void write(Operation operation, Protocol protocol, PortBlock block, IpLocalReservedPorts wanted) {
		try {
			// The kernel ignores an empty write; a lone newline is how the list is
			// cleared.
			Files.writeString(this.file, wanted.format() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING);
		}
		catch (IOException ex) {
			throw LinuxErrors.stateFile(operation, protocol, block, null, "Writing " + this.file + " failed", ex);
		}
		IpLocalReservedPorts written = read(operation, protocol, block);
		if (!written.equals(wanted)) {
			throw PortReservationException
				.builder(Reason.SYSTEM_ERROR,
						this.file + " reads back as '" + written + "' after writing '" + wanted + "'")
				.block(block)
				.protocol(protocol)
				.operation(operation)
				.path(this.file)
				.backend(LinuxPortReservations.NAME)
				.build();
		}
	}

}
