package dev.portreservation.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import dev.portreservation.sample.SampleApplication;

/**
 * Start-up to a serving web server of the sample app, with the starter on and off
 * ({@code portreservation.enabled}). Each operation is one full start and stop in the
 * same JVM.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBenchmark {

	@Param({ "false", "true" })
	public boolean starterEnabled;

	@Benchmark
	public int startSampleApp() {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--portreservation.enabled=" + this.starterEnabled, "--logging.level.root=WARN",
				"--spring.main.banner-mode=off", "--management.endpoints.web.exposure.include=health")) {
			return context.getEnvironment().getProperty("local.server.port", Integer.class, -1);
		}
	}

}
