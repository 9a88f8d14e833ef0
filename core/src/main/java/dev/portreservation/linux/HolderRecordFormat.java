package dev.portreservation.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * The one {@code .holders} format, writer and reader: a file {@code <pid>.holders} in
 * {@link Properties} syntax (ISO 8859-1 with {@code \}uXXXX escapes) with {@code pid},
 * {@code starttime} (field 22 of {@code /proc/<pid>/stat}), {@code command}, {@code uid},
 * {@code block.N=<tcp|udp> <startPort> <count> <runtime|persistent>} for N from 0, each
 * followed by the {@code lease.M=<tcp|udp> <port> <owner>} lines of its leased (or lent)
 * ports, M counting across blocks (records of versions before leases have none).
 * {@link HolderRegistry} writes with it, {@link HolderRecords} (and through it the
 * command line tool) reads with it; neither knows the syntax. This class only turns text
 * into fields and back: which files and records are believed is {@link HolderRecords}'
 * rule.
 */
final class HolderRecordFormat {

	/** How a record file's name ends: {@code <pid>.holders}. */
	static final String SUFFIX = ".holders";

	/** The glob of record files in a directory. */
	static final String GLOB = "*" + SUFFIX;

	private HolderRecordFormat() {
	}

	/**
	 * @param pid a process
	 * @return the name of its record file
	 */
	static String fileName(long pid) {
		return pid + SUFFIX;
	}

	/**
	 * @param file a file in a registry directory
	 * @return the pid its name says, or empty when the name is no {@code <pid>.holders}
	 */
	static OptionalLong pidOf(Path file) {
		String name = file.getFileName().toString();
		if (!name.endsWith(SUFFIX)) {
			return OptionalLong.empty();
		}
		return number(name.substring(0, name.length() - SUFFIX.length()));
	}

	/**
	 * @param text a decimal number of at most 10 digits
	 * @return it, or empty when it is none
	 */
	static OptionalLong number(String text) {
		if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Long.parseLong(text));
	}

	/**
	 * The record of a process.
	 * @param pid the process
	 * @param startTime its start time, as {@code /proc/<pid>/stat} has it
	 * @param command its command line
	 * @param uid the user it runs as
	 * @param blocks the blocks it holds, each with its leases
	 * @return the file's content
	 */
	static String write(long pid, String startTime, String command, long uid, List<HeldBlock> blocks) {
		StringBuilder content = new StringBuilder();
		content.append(line("pid", Long.toString(pid)));
		content.append(line("starttime", startTime));
		content.append(line("command", command));
		content.append(line("uid", Long.toString(uid)));
		int leaseIndex = 0;
		for (int i = 0; i < blocks.size(); i++) {
			HeldBlock held = blocks.get(i);
			content.append(line("block." + i, format(held.block())));
			for (HolderRecords.Lease lease : held.leases()) {
				content.append(line("lease." + leaseIndex++, format(lease)));
			}
		}
		return content.toString();
	}

	/**
	 * Reads a record's fields as written; nothing is checked against the system.
	 * @param content the file's content
	 * @return the record as it says
	 * @throws IOException when it cannot be read as {@link Properties}
	 * @throws IllegalArgumentException when a field is missing or damaged (a damaged
	 * lease line is skipped: it only names an owner)
	 */
	static HolderRecords.Record read(Reader content) throws IOException {
		Properties properties = new Properties();
		properties.load(content);
		long pid = Long.parseLong(properties.getProperty("pid", "").strip());
		long startTime = Long.parseLong(properties.getProperty("starttime", "").strip());
		long uid = Long.parseLong(properties.getProperty("uid", "").strip());
		List<HolderRecords.Block> blocks = new ArrayList<>();
		for (int index = 0; properties.getProperty("block." + index) != null; index++) {
			blocks.add(parseBlock(properties.getProperty("block." + index)));
		}
		List<HolderRecords.Lease> leases = new ArrayList<>();
		for (int index = 0; properties.getProperty("lease." + index) != null; index++) {
			HolderRecords.Lease lease = parseLease(properties.getProperty("lease." + index));
			if (lease != null) {
				leases.add(lease);
			}
		}
		String command = properties.getProperty("command", "").strip();
		return new HolderRecords.Record(pid, startTime, command, uid, List.copyOf(blocks), List.copyOf(leases));
	}

	/**
	 * @param content a record's content
	 * @return the record as it says
	 */
	static HolderRecords.Record read(String content) throws IOException {
		return read(new StringReader(content));
	}

	/**
	 * @param block a block
	 * @return its {@code block.N} value
	 */
	static String format(HolderRecords.Block block) {
		return block.protocol().name().toLowerCase(Locale.ROOT) + " " + block.block().startPort() + " "
				+ block.block().count() + " " + block.kind().name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @param lease a lease
	 * @return its {@code lease.N} value
	 */
	static String format(HolderRecords.Lease lease) {
		return lease.protocol().name().toLowerCase(Locale.ROOT) + " " + lease.port() + " " + lease.owner();
	}

	static HolderRecords.Block parseBlock(String line) {
		String[] fields = line.strip().split("\\s+");
		if (fields.length != 4) {
			throw new IllegalArgumentException("block line '" + line + "' does not have 4 fields");
		}
		return new HolderRecords.Block(Protocol.valueOf(fields[0].toUpperCase(Locale.ROOT)),
				new PortBlock(Integer.parseInt(fields[1]), Integer.parseInt(fields[2])),
				ReservationKind.valueOf(fields[3].toUpperCase(Locale.ROOT)));
	}

	/**
	 * @return the lease, or {@code null} when the line is damaged
	 */
	static HolderRecords.Lease parseLease(String line) {
		String[] fields = line.strip().split("\\s+", 3);
		if (fields.length != 3) {
			return null;
		}
		try {
			return new HolderRecords.Lease(Protocol.valueOf(fields[0].toUpperCase(Locale.ROOT)),
					Integer.parseInt(fields[1]), fields[2]);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** One {@code key=value} line with {@link Properties}' own escaping. */
	private static String line(String key, String value) {
		Properties single = new Properties();
		single.setProperty(key, value);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			single.store(out, null);
		}
		catch (IOException ex) {
			// A ByteArrayOutputStream does not fail.
			throw new IllegalStateException(ex);
		}
		StringBuilder line = new StringBuilder();
		for (String stored : out.toString(StandardCharsets.ISO_8859_1).split("\n")) {
			if (!stored.startsWith("#")) {
				line.append(stored.strip()).append('\n');
			}
		}
		return line.toString();
	}

	/**
	 * A held block and the leases of its ports, in the order they are written.
	 *
	 * @param block the block
	 * @param leases its leased ports
	 */
	record HeldBlock(HolderRecords.Block block, List<HolderRecords.Lease> leases) {
	}

}
