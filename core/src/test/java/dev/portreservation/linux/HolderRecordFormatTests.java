package dev.portreservation.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one {@code .holders} format: the reader ({@link HolderRecords}) reads what the
 * writer ({@link HolderRegistry}) writes, records written by the previous version (no
 * lease lines, {@link java.util.Properties} escaping in the command), and the lease lines
 * that name who a port is lent to, which every reader of holders then shows.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HolderRecordFormatTests {

	@TempDir
	Path temporary;

	@RegisterExtension
	final ClosedAfterEach closeables = new ClosedAfterEach();

	@Test
	void aRecordThePreviousVersionWroteIsRead() throws Exception {
		long pid = ProcessHandle.current().pid();
		long uid = Uids.effective();
		// Byte for byte what the previous writer produced for this process (its
		// Properties.store escaping of '=' and ':' included).
		String previous = "pid=" + pid + "\nstarttime=" + HolderRegistryFiles.startTime(pid)
				+ "\ncommand=/usr/bin/java -Dportreservation.linux.runtime-directory\\=/tmp/x -cp /a\\:/b Main\nuid="
				+ uid + "\nblock.0=tcp 40000 8 runtime\nblock.1=udp 41000 4 runtime\n";
		Path directory = this.temporary.resolve("runtime");
		HolderRegistryFiles.writeRaw(directory, pid + ".holders", previous);
		assertThat(new HolderRecords(Map.of(directory, uid)).live()).singleElement().satisfies((record) -> {
			assertThat(record.command())
				.isEqualTo("/usr/bin/java -Dportreservation.linux.runtime-directory=/tmp/x -cp /a:/b Main");
			assertThat(record.blocks()).extracting(HolderRecords.Block::format)
				.containsExactly("tcp 40000 8 runtime", "udp 41000 4 runtime");
			assertThat(record.leases()).isEmpty();
		});
	}

	@Test
	void aLentPortsOwnerNameIsInTheRecordAndNamedByEveryReader() throws Exception {
		LinuxPortReservations backend = new LinuxPortReservations();
		PortBlock block = FreeBlocks.free(backend, 4);
		WorkerProcess worker = track(WorkerProcess.start(null));
		assertThat(worker.send("hold tcp " + block.startPort() + " 4")).startsWith("HELD");
		String lent = worker.send("lend partner");
		assertThat(lent).startsWith("LENT ");
		int port = Integer.parseInt(lent.substring("LENT ".length()));
		Path directory = RegistryLocations.directoryOf(worker.pid() + ".holders");
		HolderRecords records = new HolderRecords(Map.of(directory, Uids.effective()));
		HolderRecords.Record record = awaitLease(records, worker.pid(), port);
		assertThat(record.leaseOwner(Protocol.TCP, port)).isEqualTo("partner");
		assertThat(record.blocks()).extracting(HolderRecords.Block::format)
			.containsExactly("tcp " + block.startPort() + " 4 runtime");

		// who PORT / check START COUNT read it through the holders of a port.
		assertThat(new LinuxPortHolders(records).find(Protocol.TCP, new PortBlock(port, 1))).singleElement()
			.satisfies((holder) -> {
				assertThat(holder.kind()).isEqualTo(PortHolder.Kind.RUNTIME_BLOCK);
				assertThat(holder.leaseOwner()).isEqualTo("partner");
				assertThat(holder.describe()).contains("leased to 'partner'");
			});
		// A refused claim over the port says so too.
		PortReservationException refused = catchThrowableOfType(PortReservationException.class,
				() -> backend.acquireRuntime(Protocol.TCP, new PortBlock(port, 1)));
		assertThat(refused).isNotNull();
		assertThat(refused.getMessage()).contains("pid " + worker.pid() + " (");

		assertThat(worker.send("return")).isEqualTo("RETURNED");
		for (int i = 0; i < 100 && record(records, worker.pid()).leaseOwner(Protocol.TCP, port) != null; i++) {
			Thread.sleep(50);
		}
		assertThat(record(records, worker.pid()).leaseOwner(Protocol.TCP, port)).as("gone once returned").isNull();
	}

	@Test
	void anyOwnerNameSurvivesTheRoundTrip() throws Exception {
		Path directory = Files.createDirectory(this.temporary.resolve("runtime"));
		HolderRegistry registry = HolderRegistry.in(directory);
		HolderRegistry.Held held = new HolderRegistry.Held(Protocol.UDP, new PortBlock(41000, 4),
				dev.portreservation.core.ReservationKind.RUNTIME);
		String name = "a name = with: spaces é中 #!";
		held.leasesFrom(
				() -> java.util.List.of(new dev.portreservation.core.PortLease(41002, name, java.time.Instant.now())));
		registry.add(held);
		try {
			HolderRecords records = new HolderRecords(Map.of(directory, Uids.effective()));
			HolderRecords.Record record = null;
			for (int i = 0; i < 100 && (record == null || record.leases().isEmpty()); i++) {
				Thread.sleep(20);
				record = record(records, ProcessHandle.current().pid());
			}
			assertThat(record).isNotNull();
			assertThat(record.leases()).containsExactly(new HolderRecords.Lease(Protocol.UDP, 41002, name));
			assertThat(record.blocks()).containsExactly(held.block());
		}
		finally {
			registry.remove(held);
		}
		assertThat(registry.file()).as("the last block gone, the record goes").doesNotExist();
	}

	private static HolderRecords.Record awaitLease(HolderRecords records, long pid, int port) throws Exception {
		for (int i = 0; i < 100; i++) {
			HolderRecords.Record record = record(records, pid);
			if (record != null && record.leaseOwner(Protocol.TCP, port) != null) {
				return record;
			}
			Thread.sleep(50);
		}
		return record(records, pid);
	}

	private static HolderRecords.Record record(HolderRecords records, long pid) {
		return records.live().stream().filter((record) -> record.pid() == pid).findFirst().orElse(null);
	}

	private <T extends AutoCloseable> T track(T closeable) {
		return this.closeables.track(closeable);
	}

}
