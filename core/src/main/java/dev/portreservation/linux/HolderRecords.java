package dev.portreservation.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * Reads the per-process holder registry: one {@code <pid>.holders} file per live process
 * that holds blocks through this library, in a per-user runtime directory (the format is
 * in docs/linux.md and {@link HolderRecordFormat}, which owns its syntax).
 * {@link HolderRegistry} writes it; this class is its only reader, for failure messages
 * and for {@code portreservation list / who}: one parser, one set of rules.
 * <p>
 * A record is believed only when everything agrees: the directory is a real directory
 * (not a symbolic link) owned by the user it belongs to and not writable by group or
 * others; the file is a regular file of that user named after the pid it describes; its
 * {@code uid} is that user; and the process is alive with the recorded start time and
 * runs as that user. Anything else is skipped, so one user cannot make another user's
 * process appear to hold ports.
 */
public final class HolderRecords {

	/**
	 * System property naming one registry directory to read instead of every user's (the
	 * CLI's {@code --runtime-directory}). The backend no longer writes where it points.
	 */
	public static final String RUNTIME_DIRECTORY_PROPERTY = "portreservation.linux.runtime-directory";

	private static final Path RUN_USER = Path.of("/run/user");

	private final Map<Path, Long> directories;

	private final List<String> skipped = new ArrayList<>();

	/**
	 * @param directories registry directories and the uid that must own each
	 */
	public HolderRecords(Map<Path, Long> directories) {
		this.directories = new LinkedHashMap<>(directories);
	}

	/**
	 * @return the registry of the current user (its runtime directories, see
	 * {@link RuntimeDirectory}), plus every other user's this process can read (all of
	 * them for root); only the directory named by {@value #RUNTIME_DIRECTORY_PROPERTY}
	 * when that is set
	 */
	public static HolderRecords everyReadableUser() {
		Map<Path, Long> directories = new LinkedHashMap<>();
		long uid = Uids.effective();
		String configured = System.getProperty(RUNTIME_DIRECTORY_PROPERTY);
		if (configured != null && !configured.isBlank()) {
			directories.put(Path.of(configured), uid);
			return new HolderRecords(directories);
		}
		for (Path directory : RuntimeDirectory.existing(uid)) {
			directories.put(directory, uid);
		}
		for (Path directory : RuntimeDirectory.existing(0)) {
			// Root's directory in /run is readable by root alone; skipped (and said) for
			// others.
			directories.putIfAbsent(directory, 0L);
		}
		RuntimeDirectory.everyUsersInTmp()
			.forEach((owner, paths) -> paths.forEach((path) -> directories.putIfAbsent(path, owner)));
		// Where earlier versions wrote when XDG_RUNTIME_DIR was set.
		try (DirectoryStream<Path> users = Files.newDirectoryStream(RUN_USER)) {
			for (Path user : users) {
				HolderRecordFormat.number(user.getFileName().toString())
					.ifPresent((owner) -> directories.putIfAbsent(user.resolve("portreservation"), owner));
			}
		}
		catch (IOException ex) {
			// No /run/user on this system.
		}
		return new HolderRecords(directories);
	}

	/**
	 * The command of a process that holds a lock of a block, for a refusal: from its
	 * record when one of the directories has a trustworthy one, else from
	 * {@code /proc/<pid>/cmdline} (the pid comes from the kernel's lock table, so the
	 * process is the holder either way).
	 * @param pid the process ({@code -1}: unknown)
	 * @param directories the user's runtime directories
	 * @param uid the user
	 * @return the command line, empty when unknown
	 */
	static String command(long pid, List<Path> directories, long uid) {
		if (pid < 0) {
			return "";
		}
		for (Path directory : directories) {
			if (trusted(directory, uid) != null) {
				continue;
			}
			Record record = read(directory.resolve(HolderRecordFormat.fileName(pid)), uid);
			if (record != null) {
				return record.command();
			}
		}
		return ProcessSockets.commandLine(pid).orElse("");
	}

	/**
	 * @return the live, trustworthy records of every directory, by pid
	 */
	public List<Record> live() {
		this.skipped.clear();
		Map<Long, Record> records = new LinkedHashMap<>();
		for (Map.Entry<Path, Long> directory : this.directories.entrySet()) {
			if (!Files.exists(directory.getKey(), LinkOption.NOFOLLOW_LINKS)) {
				continue;
			}
			String distrust = trusted(directory.getKey(), directory.getValue());
			if (distrust != null) {
				this.skipped.add(directory.getKey() + ": " + distrust);
				continue;
			}
			try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.getKey(), HolderRecordFormat.GLOB)) {
				for (Path file : files) {
					Record record = read(file, directory.getValue());
					if (record != null) {
						records.putIfAbsent(record.pid(), record);
					}
				}
			}
			catch (IOException ex) {
				this.skipped.add(directory.getKey() + ": not readable by this user (" + ex.getClass().getSimpleName()
						+ "); run as root to see every user's holders");
			}
		}
		return List.copyOf(records.values());
	}

	/**
	 * @return why directories were skipped by the last {@link #live()}, one line each
	 */
	public List<String> skipped() {
		return List.copyOf(this.skipped);
	}

	/**
	 * @param directory a directory
	 * @param uid the user who must own it
	 * @return {@code null} when it can be trusted, otherwise why not
	 */
	static String trusted(Path directory, long uid) {
		try {
			TrustedDirectory.Distrust distrust = TrustedDirectory.check(directory, uid,
					TrustedDirectory.Owner.THE_USER);
			return (distrust != null) ? distrust.why() : null;
		}
		catch (IOException | RuntimeException ex) {
			return "cannot be inspected (" + ex.getClass().getSimpleName() + ")";
		}
	}

	/**
	 * @param file a record file
	 * @param uid the user owning its directory
	 * @return the record when it is trustworthy and its process alive as recorded, else
	 * {@code null}
	 */
	static Record read(Path file, long uid) {
		OptionalLong namedPid = HolderRecordFormat.pidOf(file);
		if (namedPid.isEmpty()) {
			return null;
		}
		try {
			PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isRegularFile() || ownerUid(file) != uid) {
				return null;
			}
			Record written;
			// O_NOFOLLOW: a link swapped in after the check above is not followed either.
			try (InputStream in = Channels
				.newInputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
					Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
				written = HolderRecordFormat.read(reader);
			}
			return believed(written, namedPid.getAsLong(), uid);
		}
		catch (IOException | RuntimeException ex) {
			// Removed meanwhile, or damaged: readers skip records that do not parse.
			return null;
		}
	}

	/**
	 * @param written a record as its file says
	 * @param pid the pid its file is named after
	 * @param uid the user owning its directory
	 * @return the record when it is consistent and its process is alive as recorded,
	 * otherwise {@code null}
	 */
	static Record believed(Record written, long pid, long uid) {
		if (written.pid() != pid || written.uid() != uid) {
			return null;
		}
		OptionalLong liveStart = ProcessSockets.startTime(pid);
		OptionalLong liveUid = ProcessSockets.uid(pid);
		if (liveStart.isEmpty() || liveStart.getAsLong() != written.startTime() || liveUid.isEmpty()
				|| liveUid.getAsLong() != uid) {
			return null;
		}
		return written;
	}

	private static long ownerUid(Path path) throws IOException {
		return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
	}

	/**
	 * A live process holding blocks through this library.
	 *
	 * @param pid the process
	 * @param startTime its start time ({@code /proc/PID/stat} field 22)
	 * @param command its command line as recorded
	 * @param uid the user it runs as
	 * @param blocks the blocks it holds
	 * @param leases the ports of those blocks it has given to a named owner (a channel or
	 * a lent port), as far as the record knows (see {@link Lease})
	 */
	public record Record(long pid, long startTime, String command, long uid, List<Block> blocks, List<Lease> leases) {

		/**
		 * @param protocol a protocol
		 * @param port a port
		 * @return the owner name the port is leased to, or {@code null}
		 */
		public String leaseOwner(Protocol protocol, int port) {
			for (Lease lease : this.leases) {
				if (lease.protocol() == protocol && lease.port() == port) {
					return lease.owner();
				}
			}
			return null;
		}

	}

	/**
	 * One {@code lease.N} line: {@code <tcp|udp> <port> <owner>}, the owner name last (it
	 * may contain spaces). Records of older versions have none. Written shortly after the
	 * lease changes, off the bind path, so it may lag the reservation by a moment.
	 *
	 * @param protocol the protocol
	 * @param port the leased port
	 * @param owner who it is leased to (a named port's name, such as {@code partner}, or
	 * a channel's owner)
	 */
	public record Lease(Protocol protocol, int port, String owner) {

		String format() {
			return HolderRecordFormat.format(this);
		}

	}

	/**
	 * One {@code block.N} line:
	 * {@code <tcp|udp> <startPort> <count> <runtime|persistent>}.
	 *
	 * @param protocol the protocol
	 * @param block the block
	 * @param kind runtime or persistent
	 */
	public record Block(Protocol protocol, PortBlock block, ReservationKind kind) {

		String format() {
			return HolderRecordFormat.format(this);
		}

	}

}
