package dev.portreservation.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.portreservation.core.PortBlock;

/**
 * Where the parallel test classes write down which block they held and when, one file per
 * class and fork, so that {@link ForkedBlocksLedgerCheck} can verify across forks that no
 * port was held twice at once.
 */
final class PortLedger {

	static final String DIRECTORY_PROPERTY = "portreservation.test.ledger";

	private PortLedger() {
	}

	static Path directory() {
		String configured = System.getProperty(DIRECTORY_PROPERTY);
		return Path.of((configured != null) ? configured : "target/port-ledger");
	}

	static void record(Class<?> testClass, PortBlock block, long startMillis, long endMillis) throws IOException {
		Path directory = Files.createDirectories(directory());
		Entry entry = new Entry(testClass.getSimpleName(), ProcessHandle.current().pid(),
				Thread.currentThread().getName(), block, startMillis, endMillis);
		Files.writeString(directory.resolve(entry.pid() + "-" + entry.testClass() + ".txt"), entry.line() + "\n",
				StandardCharsets.UTF_8);
	}

	static List<Entry> read() throws IOException {
		List<Entry> entries = new ArrayList<>();
		if (!Files.isDirectory(directory())) {
			return entries;
		}
		try (Stream<Path> files = Files.list(directory())) {
			for (Path file : files.sorted().toList()) {
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					if (!line.isBlank()) {
						entries.add(Entry.parse(line));
					}
				}
			}
		}
		return entries;
	}

	record Entry(String testClass, long pid, String thread, PortBlock block, long startMillis, long endMillis) {

		String line() {
			return String.join(" ", this.testClass, Long.toString(this.pid), this.thread, this.block.toString(),
					Long.toString(this.startMillis), Long.toString(this.endMillis));
		}

		static Entry parse(String line) {
			String[] fields = line.strip().split(" ");
			return new Entry(fields[0], Long.parseLong(fields[1]), fields[2], PortBlock.parse(fields[3]),
					Long.parseLong(fields[4]), Long.parseLong(fields[5]));
		}

		boolean overlapsInTime(Entry other) {
			return this.startMillis <= other.endMillis && other.startMillis <= this.endMillis;
		}

	}

}
