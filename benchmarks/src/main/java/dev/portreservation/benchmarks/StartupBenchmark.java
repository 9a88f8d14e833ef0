package dev.portreservation.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up to a serving web server of the sample app, with the starter on and off. Each
 * operation is one full start and stop in the same JVM.
 */
@Warmup(iterations = 5)
@Measurement(iterations = 15)
public class StartupBenchmark extends SampleAppBenchmark {

	@Benchmark
	public int startSampleApp() {
		try (ConfigurableApplicationContext context = start("--server.port=0")) {
			return context.getEnvironment().getProperty("local.server.port", Integer.class, -1);
		}
	}

}
