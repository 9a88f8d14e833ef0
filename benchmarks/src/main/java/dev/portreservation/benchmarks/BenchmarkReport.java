package dev.portreservation.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * Runs every benchmark, pairs each result with the baseline measured in the same run, and
 * writes the ratios as a Markdown table (printed and saved to the path given as the first
 * argument).
 */
public final class BenchmarkReport {

	private BenchmarkReport() {
	}

	public static void main(String[] args) throws RunnerException, IOException {
		Path output = Path.of((args.length > 0) ? args[0] : "benchmark-results.md");
		String include = System.getProperty("benchmarks.include", "dev.portreservation.benchmarks.*");
		Options options = new OptionsBuilder().include(include).build();
		Collection<RunResult> results = new Runner(options).run();
		Results measured = new Results(results);

		List<String> rows = new ArrayList<>();
		String backend = PortReservations.forCurrentPlatform().name();
		rows.add("Backend: `" + backend + "`, JDK " + System.getProperty("java.version") + ", "
				+ Runtime.getRuntime().availableProcessors() + " CPUs. Times are JMH averages with their 99.9% error.");
		rows.add("");
		rows.add("| comparison | measured | baseline (same run) | ratio | target | met |");
		rows.add("|---|---|---|---|---|---|");
		measured.compare(rows, "bind latency: reserved vs plain bind(0)", "BindLatencyBenchmark.bindThroughReservation",
				"BindLatencyBenchmark.plainBindToPortZero", 1.10);
		measured.compare(rows, "bind latency: reserved vs its kernel floor (library overhead)",
				"BindLatencyBenchmark.bindThroughReservation", "BindLatencyBenchmark.kernelFloorBesideHolder", 1.05);
		measured.compare(rows, "time to a listening socket: reserved vs findAvailableTcpPort + bind",
				"TimeToListeningSocketBenchmark.bindThroughReservation",
				"TimeToListeningSocketBenchmark.findAvailablePortThenBind", 1.00);
		measured.compare(rows, "per-bind cost, block 1,024 vs 16",
				"BlockSizeScalingBenchmark.bindThroughReservation:1024",
				"BlockSizeScalingBenchmark.bindThroughReservation:16", 1.10);
		measured.compare(rows, "per-bind cost, block 16,384 vs 16",
				"BlockSizeScalingBenchmark.bindThroughReservation:16384",
				"BlockSizeScalingBenchmark.bindThroughReservation:16", 1.10);
		measured.compare(rows, "kernel floor, block 16,384 vs 16 (kernel bind tables)",
				"BlockSizeScalingBenchmark.kernelFloorBesideHolder:16384",
				"BlockSizeScalingBenchmark.kernelFloorBesideHolder:16", Double.NaN);
		measured.compare(rows, "library overhead over the kernel floor, block 16",
				"BlockSizeScalingBenchmark.bindThroughReservation:16",
				"BlockSizeScalingBenchmark.kernelFloorBesideHolder:16", 1.05);
		measured.compare(rows, "library overhead over the kernel floor, block 16,384",
				"BlockSizeScalingBenchmark.bindThroughReservation:16384",
				"BlockSizeScalingBenchmark.kernelFloorBesideHolder:16384", 1.05);
		measured.compare(rows, "sample app start-up: starter on vs off", "StartupBenchmark.startSampleApp:true",
				"StartupBenchmark.startSampleApp:false", Double.NaN);
		measured.compare(rows,
				"restart on the same fixed block with 8 idle clients, to first HTTP 200: starter vs plain Boot",
				"RestartWithIdleClientsBenchmark.restartToFirstOk:true",
				"RestartWithIdleClientsBenchmark.restartToFirstOk:false", 1.10);
		rows.add("");
		rows.addAll(memoryPerPort());

		String table = String.join(System.lineSeparator(), rows) + System.lineSeparator();
		System.out.println();
		System.out.println(table);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, table);
		System.out.println("Written to " + output.toAbsolutePath());
	}

	/**
	 * Retained heap of a reservation's bookkeeping: a 16,384-port block, then 1,024
	 * leases in it. Measured after full collections; an estimate, not a JMH figure.
	 */
	private static List<String> memoryPerPort() throws IOException {
		int blockSize = 16384;
		int leases = 1024;
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		List<ServerSocketChannel> channels = new ArrayList<>();
		for (int i = 0; i < leases; i++) {
			channels.add(ServerSocketChannel.open());
		}
		long before = usedHeap(memory);
		try (PortReservation reservation = Blocks.reserve(blockSize)) {
			long reserved = usedHeap(memory);
			for (ServerSocketChannel channel : channels) {
				reservation.bind(channel, InetAddress.getLoopbackAddress(), 0);
			}
			long leased = usedHeap(memory);
			List<String> rows = new ArrayList<>();
			rows.add("| bookkeeping memory | bytes |");
			rows.add("|---|---|");
			rows.add(String.format(Locale.ROOT, "| per port of a %,d-port block (held, none bound) | %.0f |", blockSize,
					(reserved - before) / (double) blockSize));
			rows.add(
					String.format(Locale.ROOT, "| per lease, %,d channels bound (after the block's own share) | %.0f |",
							leases, (leased - reserved) / (double) leases));
			return rows;
		}
		finally {
			for (ServerSocketChannel channel : channels) {
				channel.close();
			}
		}
	}

	private static long usedHeap(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static final class Results {

		private final Collection<RunResult> results;

		Results(Collection<RunResult> results) {
			this.results = results;
		}

		void compare(List<String> rows, String title, String measuredKey, String baselineKey, double target) {
			RunResult measured = find(measuredKey);
			RunResult baseline = find(baselineKey);
			if (measured == null || baseline == null) {
				rows.add("| " + title + " | not run | not run | | | |");
				return;
			}
			double ratio = score(measured) / score(baseline);
			String targetText = Double.isNaN(target) ? "report" : String.format(Locale.ROOT, "<= %.2f", target);
			String met = Double.isNaN(target) ? "-" : (ratio <= target) ? "yes" : "NO";
			rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %s |", title, format(measured),
					format(baseline), ratio, targetText, met));
		}

		private RunResult find(String key) {
			String[] parts = key.split(":");
			for (RunResult result : this.results) {
				String label = result.getParams().getBenchmark();
				if (!label.endsWith("." + parts[0])) {
					continue;
				}
				if (parts.length == 1 || result.getParams()
					.getParamsKeys()
					.stream()
					.anyMatch((param) -> parts[1].equals(result.getParams().getParam(param)))) {
					return result;
				}
			}
			return null;
		}

		private static double score(RunResult result) {
			return result.getPrimaryResult().getScore();
		}

		private static String format(RunResult result) {
			return String.format(Locale.ROOT, "%.2f ± %.2f %s", result.getPrimaryResult().getScore(),
					result.getPrimaryResult().getScoreError(), result.getPrimaryResult().getScoreUnit());
		}

	}

}
