package dev.portreservation.linux;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * The record file of a persistent block in the state directory: its name
 * ({@code <tcp|udp>-<start>-<end>.properties}), its format ({@link Properties}:
 * {@code protocol}, {@code block}, {@code token}, {@code sysctl-entry=added|adopted},
 * {@code created}, {@code pid}, {@code starttime}), reading without following a symbolic
 * link, atomic owner-only writing ({@link StateDirectory}), and the block's token. Which
 * records are believed, taken over, set aside or deleted is
 * {@link PersistentBlockStore}'s policy.
 */
final class BlockRecordFile {

	/** How a record file's name ends. */
	static final String SUFFIX = ".properties";

	/** The glob of record files in a namespace directory. */
	static final String GLOB = "*" + SUFFIX;

	private static final SecureRandom TOKENS = new SecureRandom();

	private BlockRecordFile() {
	}

	/**
	 * @param directory the namespace directory
	 * @param protocol the protocol
	 * @param block the block
	 * @return the block's record file
	 */
	static Path of(Path directory, Protocol protocol, PortBlock block) {
		return directory.resolve(name(protocol, block));
	}

	/**
	 * @param protocol the protocol
	 * @param block the block
	 * @return the name of the block's record file
	 */
	static String name(Protocol protocol, PortBlock block) {
		return protocol.name().toLowerCase(Locale.ROOT) + "-" + block.startPort() + "-" + block.endPort() + SUFFIX;
	}

	/**
	 * @param file a record file (not followed if it is a symbolic link)
	 * @return its record
	 * @throws IOException when it cannot be read
	 * @throws IllegalArgumentException when it is damaged or named for another block
	 */
	static BlockRecord read(Path file) throws IOException {
		Properties properties = new Properties();
		properties.load(new StringReader(new String(StateDirectory.readNoFollow(file), StandardCharsets.UTF_8)));
		try {
			BlockRecord record = new BlockRecord(Protocol.valueOf(properties.getProperty("protocol")),
					PortBlock.parse(properties.getProperty("block")), Long.parseLong(properties.getProperty("token")),
					BlockRecord.ADDED.equals(properties.getProperty("sysctl-entry")), Creator.read(properties));
			if (!file.getFileName().toString().equals(name(record.protocol(), record.block()))) {
				throw new IllegalArgumentException("its contents describe " + record.protocol() + " " + record.block());
			}
			return record;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("the record is damaged: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes a record atomically, owner-only.
	 * @param directory the trusted namespace directory
	 * @param record the record
	 */
	static void write(Path directory, BlockRecord record) throws IOException {
		Path file = of(directory, record.protocol(), record.block());
		String content = "# A persistent port block of portreservation. Deleting this file forgets the block;\n"
				+ "# delete it through the library so its ports also leave ip_local_reserved_ports.\nprotocol="
				+ record.protocol() + "\nblock=" + record.block().startPort() + "-" + record.block().endPort()
				+ "\ntoken=" + record.token() + "\nsysctl-entry="
				+ (record.addedToSysctl() ? BlockRecord.ADDED : BlockRecord.ADOPTED) + "\ncreated=" + Instant.now()
				+ "\npid=" + record.creator().pid() + "\n"
				+ ((record.creator().startTime() != null) ? "starttime=" + record.creator().startTime() + "\n" : "");
		StateDirectory.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @return a new random token, never 0
	 */
	static long newToken() {
		long token;
		do {
			token = TOKENS.nextLong() & Long.MAX_VALUE;
		}
		while (token == 0);
		return token;
	}

	/**
	 * What the state directory records about a persistent block.
	 *
	 * @param protocol the protocol
	 * @param block the block
	 * @param token the token reported by reservations of the block
	 * @param addedToSysctl whether this library added the range to
	 * {@code ip_local_reserved_ports} (and so removes it on delete), as opposed to
	 * adopting ports an administrator reserved
	 */
	record BlockRecord(Protocol protocol, PortBlock block, long token, boolean addedToSysctl, Creator creator) {

		static final String ADDED = "added";

		static final String ADOPTED = "adopted";

	}

	/**
	 * The process that created a block (or took its creator's place): pid and start time
	 * ({@code /proc/<pid>/stat} field 22; absent in records of earlier versions).
	 *
	 * @param pid the process
	 * @param startTime its start time, or {@code null} when not recorded
	 */
	record Creator(long pid, String startTime) {

		static Creator self() {
			long pid = ProcessHandle.current().pid();
			return new Creator(pid, ProcessIdentity.startTime(pid));
		}

		static Creator read(Properties properties) {
			try {
				return new Creator(Long.parseLong(properties.getProperty("pid", "").strip()),
						properties.getProperty("starttime"));
			}
			catch (NumberFormatException ex) {
				// No pid: a record no process claims; never taken over (it may be an
				// administrator's).
				return new Creator(-1, null);
			}
		}

		/**
		 * @return whether the creator still runs; {@code true} when the record does not
		 * say enough to know (no pid), so that nothing is taken over on a guess
		 */
		boolean alive() {
			if (this.pid < 0) {
				return true;
			}
			String now = ProcessIdentity.startTime(this.pid);
			if (now == null) {
				return false;
			}
			return this.startTime == null || this.startTime.equals(now);
		}

	}

}
