package dev.portreservation.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The state directory under attack, as a root process would meet it: hostile set-ups
 * built for real (links, modes, another user's files via {@code chown} to a throwaway
 * user), with ordinary files standing in for the sysctl so no privilege is needed beyond
 * the owner changes. Each test checks the outcome the attack wanted (a victim file
 * written, a record trusted, an administrator's entry removed) does not happen.
 */
@GuardTimeout(60)
class StateDirectorySecurityTests {

	private static final PortBlock BLOCK = new PortBlock(40000, 8);

	private static final PortBlock OTHER = new PortBlock(41000, 8);

	@TempDir
	Path directory;

	private Path sysctl;

	private Path range;

	private Path victim;

	@BeforeEach
	void standIns() throws IOException {
		this.sysctl = Files.writeString(this.directory.resolve("ip_local_reserved_ports"), "\n");
		this.range = Files.writeString(this.directory.resolve("ip_local_port_range"), "32768\t60999\n");
		Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"));
		this.victim = Files.writeString(elsewhere.resolve("victim"), "precious\n");
	}

	@Test
	void directoriesAndRecordsAreOwnerOnlyWhateverTheUmask() throws Exception {
		Path state = this.directory.resolve("state");
		Path start = Files.writeString(this.directory.resolve("go"), "");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder("sh", "-c", "umask 000; exec \"$0\" \"$@\"", java, "-cp",
				System.getProperty("java.class.path"), LookupOrCreateProcess.class.getName(), this.sysctl.toString(),
				state.toString(), "40000-40007", start.toString())
			.redirectErrorStream(true)
			.start();
		// It waits for the end of its input before it exits.
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		Path namespace = state.resolve("netns-" + LinuxPortReservations.networkNamespaceId());
		assertThat(mode(state)).isEqualTo("rwx------");
		assertThat(mode(namespace)).isEqualTo("rwx------");
		assertThat(mode(namespace.resolve(".lock"))).isEqualTo("rw-------");
		assertThat(mode(namespace.resolve("tcp-40000-40007.properties"))).isEqualTo("rw-------");
	}

	@Test
	void aLinkedRecordOrTemporaryFileIsNeverWrittenThrough() throws IOException {
		LinuxPortReservations backend = backend(this.directory.resolve("state"));
		backend.createPersistent(Protocol.TCP, OTHER).close();
		Path namespace = backend.stateDirectory();
		// Where the record and its temporary file go, links to the victim wait.
		Files.createSymbolicLink(namespace.resolve("tcp-40000-40007.properties"), this.victim);
		Files.createSymbolicLink(namespace.resolve("tcp-40000-40007.properties.tmp"), this.victim);
		PortReservation created = backend.lookupOrCreatePersistent(Protocol.TCP, BLOCK);
		assertThat(created.createdByThisProcess()).isTrue();
		assertThat(Files.readString(this.victim)).isEqualTo("precious\n");
		Path record = namespace.resolve("tcp-40000-40007.properties");
		assertThat(Files.isSymbolicLink(record)).isFalse();
		assertThat(mode(record)).isEqualTo("rw-------");
		assertThat(created.warnings())
			.anySatisfy((warning) -> assertThat(warning).contains(record.toString(), "symbolic link"));
		backend.deletePersistent(Protocol.TCP, BLOCK);
		backend.deletePersistent(Protocol.TCP, OTHER);
		assertThat(Files.readString(this.victim)).isEqualTo("precious\n");
	}

	@Test
	void aLinkedLockIsRefusedAndNothingIsCreatedAtItsTarget() throws IOException {
		LinuxPortReservations backend = backend(this.directory.resolve("state"));
		backend.createPersistent(Protocol.TCP, OTHER).close();
		Path lock = backend.stateDirectory().resolve(".lock");
		Files.delete(lock);
		Path target = this.victim.resolveSibling("created-by-root");
		Files.createSymbolicLink(lock, target);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, lock, "symbolic link"));
		assertThat(target).doesNotExist();
		assertThat(read()).isEqualTo("41000-41007");
	}

	@Test
	void aLinkedStateDirectoryIsRefused() throws IOException {
		Path attackers = Files.createDirectory(this.directory.resolve("attackers"));
		Files.setPosixFilePermissions(attackers, PosixFilePermissions.fromString("rwx------"));
		Path state = Files.createSymbolicLink(this.directory.resolve("state"), attackers);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(state).createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, state, "symbolic link"));
		try (Stream<Path> files = Files.list(attackers)) {
			assertThat(files).isEmpty();
		}
		assertThat(read()).isEmpty();
	}

	@Test
	void aDirectoryWritableByOthersIsRefusedAsStateOrAsAParentWithoutTheStickyBit() throws IOException {
		Path state = Files.createDirectory(this.directory.resolve("state"));
		Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(state).createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, state, "writable by group or others", "chmod go-w"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(state).lookupPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, state, "writable by group or others"));
		Path shared = Files.createDirectory(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path below = shared.resolve("state");
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(below).createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, shared, "without the sticky bit"));
		assertThat(below).doesNotExist();
		// With the sticky bit (as /tmp) nobody can replace what this user made there.
		Files.setAttribute(shared, "unix:mode", 01777);
		backend(below).createPersistent(Protocol.TCP, BLOCK).close();
		assertThat(mode(below)).isEqualTo("rwx------");
		backend(below).deletePersistent(Protocol.TCP, BLOCK);
		assertThat(read()).isEmpty();
	}

	@Test
	void aDirectoryOwnedByAnotherUserIsRefused() throws IOException {
		int attacker = ThrowawayUser.ensure(ThrowawayUser.ATTACKER).uid();
		Path state = Files.createDirectory(this.directory.resolve("state"));
		Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
		Files.setAttribute(state, "unix:uid", attacker);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(state).createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, state, "owned by uid " + attacker));
		Path parent = Files.createDirectory(this.directory.resolve("theirs"));
		Files.setAttribute(parent, "unix:uid", attacker);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(parent.resolve("state")).createPersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, parent, "owned by uid " + attacker));
		assertThat(read()).isEmpty();
	}

	@Test
	void aForgedRecordCannotRemoveAnAdministratorsEntry() throws IOException {
		// An administrator reserved 40000-40007 in sysctl.conf; nobody recorded it.
		write("40000-40007");
		LinuxPortReservations backend = backend(this.directory.resolve("state"));
		backend.createPersistent(Protocol.TCP, OTHER).close();
		// Another user's record claims this library added the entry, so that a delete
		// would remove it.
		Path forged = backend.stateDirectory().resolve("tcp-40000-40007.properties");
		Files.writeString(forged, "protocol=TCP\nblock=40000-40007\ntoken=1\nsysctl-entry=added\n");
		Files.setPosixFilePermissions(forged, PosixFilePermissions.fromString("rw-------"));
		int attacker = ThrowawayUser.ensure(ThrowawayUser.ATTACKER).uid();
		Files.setAttribute(forged, "unix:uid", attacker);
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend.deletePersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.NOT_FOUND));
		assertThat(IpLocalReservedPorts.parse(read())).isEqualTo(IpLocalReservedPorts.parse("40000-40007,41000-41007"));
		assertThat(forged).doesNotExist();
		backend.deletePersistent(Protocol.TCP, OTHER);
		assertThat(read()).isEqualTo("40000-40007");
	}

	@Test
	void aForgedRecordInAWorldWritableDirectoryIsNeverRead() throws IOException {
		write("40000-40007");
		Path state = Files.createDirectory(this.directory.resolve("state"));
		Path namespace = Files.createDirectory(state.resolve("netns-" + LinuxPortReservations.networkNamespaceId()));
		Files.writeString(namespace.resolve("tcp-40000-40007.properties"),
				"protocol=TCP\nblock=40000-40007\ntoken=1\nsysctl-entry=added\n");
		Files.setPosixFilePermissions(namespace, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend(state).deletePersistent(Protocol.TCP, BLOCK))
			.satisfies((ex) -> assertUnsafe(ex, namespace, "writable by group or others"));
		assertThat(read()).isEqualTo("40000-40007");
	}

	@Test
	void aDamagedRecordIsSetAsideAndBlocksNeitherOtherBlocksNorTheOtherProtocol() throws IOException {
		LinuxPortReservations backend = backend(this.directory.resolve("state"));
		backend.createPersistent(Protocol.UDP, BLOCK).close();
		Path record = backend.stateDirectory().resolve("udp-40000-40007.properties");
		Files.writeString(record, "protocol=UDP\nblock=40000-4000x\n");
		// Another block, and the same range for the other protocol, are created as if
		// nothing happened.
		backend.createPersistent(Protocol.TCP, OTHER).close();
		PortReservation tcp = backend.lookupOrCreatePersistent(Protocol.TCP, BLOCK);
		assertThat(tcp.createdByThisProcess()).isTrue();
		assertThat(record).doesNotExist();
		try (Stream<Path> files = Files.list(backend.stateDirectory())) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.anyMatch((name) -> name.startsWith("udp-40000-40007.properties.corrupt-"));
		}
		assertThat(tcp.warnings()).singleElement().asString().contains(record.toString(), "set aside", "damaged");
		backend.deletePersistent(Protocol.TCP, BLOCK);
		backend.deletePersistent(Protocol.TCP, OTHER);
	}

	private LinuxPortReservations backend(Path state) {
		return new LinuxPortReservations(this.sysctl, this.range, state);
	}

	private static void assertUnsafe(PortReservationException ex, Path path, String... what) {
		assertThat(ex.getReason()).as(ex.getMessage()).isEqualTo(Reason.INVALID);
		assertThat(ex.getProblem()).contains(Problem.UNSAFE_STATE_DIRECTORY);
		assertThat(ex.getPath()).contains(path);
		assertThat(ex.getMessage()).contains(path.toString()).contains(List.of(what));
	}

	private static String mode(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	private String read() throws IOException {
		return Files.readString(this.sysctl).strip();
	}

	private void write(String reserved) throws IOException {
		Files.writeString(this.sysctl, reserved + "\n");
	}

}
