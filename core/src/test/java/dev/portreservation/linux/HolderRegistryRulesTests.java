package dev.portreservation.linux;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The holder registry as a refused process reads it, against a user who writes into its
 * own registry: a forged record never names a process that holds nothing (pid 1 here), a
 * lock on the whole lock file never turns a block the OS chooses into "{@code EXHAUSTED}
 * ask for fewer ports", and junk records do not make registering slower the more there
 * are (counted: how many of them one process's first registration touches).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HolderRegistryRulesTests {

	private static final String PROPERTY = "portreservation.linux.runtime-directory";

	@TempDir
	Path temporary;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<Path> written = new ArrayList<>();

	private LinuxPortReservations backend;

	@BeforeEach
	void backend() {
		// Older versions honoured this property for the whole runtime directory; the
		// workers get it too, so both sides use one directory whatever the version.
		System.setProperty(PROPERTY, this.temporary.resolve("runtime").toString());
		this.backend = new LinuxPortReservations(this.temporary.resolve("state"));
	}

	@AfterEach
	void cleanUp() throws Exception {
		System.clearProperty(PROPERTY);
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		for (Path file : this.written) {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void aForgedRecordNeverNamesAProcessThatHoldsNothing() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 2);
		WorkerProcess holder = track(WorkerProcess.start(null, "-D" + PROPERTY + "=" + System.getProperty(PROPERTY)));
		assertThat(holder.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD");
		Path directory = RegistryLocations.directoryOf(holder.pid() + ".holders");
		String forged = "pid=1\nstarttime=" + HolderRegistryFiles.startTime(1) + "\ncommand=/usr/sbin/sshd\nuid="
				+ HolderRegistryFiles.ownUid() + "\nblock.0=tcp " + block.startPort() + " 2 runtime\n";
		// Named after another pid, and named after pid 1 itself.
		this.written.add(HolderRegistryFiles.writeRaw(directory, "999999.holders", forged));
		this.written.add(HolderRegistryFiles.writeRaw(directory, "1.holders", forged));
		PortReservationException refused = catchThrowableOfType(PortReservationException.class,
				() -> track(this.backend.acquireRuntime(Protocol.TCP, block)));
		assertThat(refused).isNotNull();
		assertThat(refused.getReason()).isEqualTo(Reason.CONFLICT);
		assertThat(refused.getMessage()).contains("pid " + holder.pid() + " (")
			.doesNotContain("pid 1 (")
			.doesNotContain("sshd");
	}

	@Test
	void aLockOnTheWholeLockFileNeverBecomesExhausted() throws Exception {
		this.backend.acquireRuntime(Protocol.TCP, 1).close();
		Path lockFile = RegistryLocations
			.directoryOf("tcp-netns-" + LinuxPortReservations.networkNamespaceId() + ".lock")
			.resolve("tcp-netns-" + LinuxPortReservations.networkNamespaceId() + ".lock");
		Process locker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WholeFileLocker.class.getName(), lockFile.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.closeables.add(() -> locker.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
		BufferedReader out = new BufferedReader(new InputStreamReader(locker.getInputStream(), StandardCharsets.UTF_8));
		assertThat(out.readLine()).isEqualTo("LOCKED");
		PortReservationException refused = catchThrowableOfType(PortReservationException.class,
				() -> track(this.backend.acquireRuntime(Protocol.TCP, 4)));
		assertThat(refused).as("an OS-chosen block under a whole-file lock").isNotNull();
		assertThat(refused.getReason()).isNotEqualTo(Reason.EXHAUSTED);
		assertThat(refused.getMessage()).doesNotContain("ask for fewer ports")
			.contains(lockFile.toString())
			.contains("pid " + locker.pid() + " (");
	}

	@Test
	void junkRecordsDoNotMakeRegisteringSlower() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 1);
		this.backend.acquireRuntime(Protocol.TCP, block).close();
		Path directory = RegistryLocations
			.directoryOf("tcp-netns-" + LinuxPortReservations.networkNamespaceId() + ".lock");
		// 5,000 by default; -Dportreservation.test.junk-records=20000 for the figure in
		// the
		// README.
		int junk = Integer.getInteger("portreservation.test.junk-records", 5_000);
		// Records of processes that are gone (pids above this machine's pid_max never
		// run), each well-formed.
		for (int i = 0; i < junk; i++) {
			long pid = 5_000_000 + i;
			this.written.add(HolderRegistryFiles.writeRaw(directory, pid + ".holders",
					"pid=" + pid + "\nstarttime=42\ncommand=gone\nuid=" + HolderRegistryFiles.ownUid()
							+ "\nblock.0=tcp 40000 8 runtime\n"));
		}
		WorkerProcess worker = track(WorkerProcess.start(null, "-D" + PROPERTY + "=" + System.getProperty(PROPERTY)));
		long started = System.nanoTime();
		assertThat(worker.send("hold tcp " + block.startPort() + " 1")).startsWith("HELD");
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		long left;
		try (Stream<Path> files = Files.list(directory)) {
			left = files.filter((file) -> file.getFileName().toString().matches("5\\d{6}\\.holders")).count();
		}
		long touched = junk - left;
		System.out.println("junk records: " + junk + ", removed by one process's first registration: " + touched
				+ ", its first hold took " + millis + " ms");
		assertThat(touched).as("junk records one registration handled").isLessThanOrEqualTo(64);
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.closeables.add(closeable);
		return closeable;
	}

	/** Locks every byte of a file (as {@code fcntl} allows) and waits to be killed. */
	public static final class WholeFileLocker {

		private WholeFileLocker() {
		}

		public static void main(String[] args) throws Exception {
			try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(Path.of(args[0]),
					java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
				file.lock(0, Long.MAX_VALUE, false);
				System.out.println("LOCKED");
				System.out.flush();
				while (System.in.read() >= 0) {
					// Holds the lock until killed.
				}
			}
		}

	}

}
