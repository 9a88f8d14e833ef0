package dev.portreservation.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import dev.portreservation.sample.SampleApplication;

/**
 * The benchmarks that time a start of the sample app, with the starter on and off
 * ({@code portreservation.enabled}): one start is one operation, timed in milliseconds.
 * The app starts the same way in each, so that their results differ only by what each
 * measures.
 */
@State(Scope.Benchmark)
@Fork(1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class SampleAppBenchmark {

	@Param({ "false", "true" })
	public boolean starterEnabled;

	/**
	 * Starts the sample app's servlet web server, quietly, with only the health endpoint
	 * exposed.
	 * @param arguments the ports to use, as command-line properties
	 * @return the running app
	 */
	ConfigurableApplicationContext start(String... arguments) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setLogStartupInfo(false);
		List<String> all = new ArrayList<>(List.of(arguments));
		all.add("--portreservation.enabled=" + this.starterEnabled);
		all.add("--logging.level.root=WARN");
		all.add("--spring.main.banner-mode=off");
		all.add("--management.endpoints.web.exposure.include=health");
		return application.run(all.toArray(String[]::new));
	}

}
