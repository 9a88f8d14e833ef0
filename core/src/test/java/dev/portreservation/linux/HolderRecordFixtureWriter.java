package dev.portreservation.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;

/**
 * Wrote the {@code .holders} fixtures in {@code src/test/resources/dev/portreservation/
 * linux/holders/} with the registry's own writer, in a process whose command line has the
 * characters {@link java.util.Properties} escapes ({@code = : \} and non-ASCII): the
 * files {@link HolderRecordFixturesTests} reads back. Run it again only to capture files
 * of a new format version:
 * {@code java -cp ... HolderRecordFixtureWriter <empty directory>
 * <fixture directory> <any arguments>}.
 */
final class HolderRecordFixtureWriter {

	private HolderRecordFixtureWriter() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(args[0]);
		Path fixtures = Path.of(args[1]);
		HolderRegistry registry = HolderRegistry.in(directory);
		HolderRegistry.Held runtime = new HolderRegistry.Held(Protocol.TCP, new PortBlock(40000, 8),
				ReservationKind.RUNTIME);
		registry.add(runtime);
		Files.copy(registry.file(), fixtures.resolve("one-block.holders"), StandardCopyOption.REPLACE_EXISTING);
		HolderRegistry.Held persistent = new HolderRegistry.Held(Protocol.UDP, new PortBlock(41000, 4),
				ReservationKind.PERSISTENT);
		registry.add(persistent);
		runtime.leasesFrom(() -> List.of(new PortLease(40001, "partner", Instant.now()),
				new PortLease(40003, "web server: main=1 \\ é", Instant.now())));
		persistent.leasesFrom(() -> List.of(new PortLease(41002, "dns", Instant.now())));
		// What the poller does once a second.
		registry.writeChangedLeases();
		Files.copy(registry.file(), fixtures.resolve("blocks-and-leases.holders"), StandardCopyOption.REPLACE_EXISTING);
		registry.remove(persistent);
		registry.remove(runtime);
	}

}
