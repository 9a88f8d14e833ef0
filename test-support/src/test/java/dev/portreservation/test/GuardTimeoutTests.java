package dev.portreservation.test;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A time limit that is only a guard scales with one knob and says so when it fails: a
 * test sleeping 3 s under a 1 s guard fails naming the guard and the knob, and passes
 * with the knob at 10.
 */
@GuardTimeout(60)
class GuardTimeoutTests {

	@Test
	void overTheLimitFailsSayingItIsAGuardAndHowToRaiseIt() {
		EngineExecutionResults results = run("1");
		results.testEvents().assertStatistics((stats) -> stats.started(1).failed(1));
		Event failed = results.testEvents().failed().list().get(0);
		Throwable failure = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
			.orElseThrow()
			.getThrowable()
			.orElseThrow();
		assertThat(failure).isInstanceOf(AssertionError.class)
			.hasMessage("sleepsThreeSeconds() ran longer than its time limit of 1 s (1 s × "
					+ "portreservation.test.timeout-factor=1). The limit is a guard against a hung test, not a "
					+ "performance assertion: on a slow or busy machine raise it, e.g. mvn verify "
					+ "-Dportreservation.test.timeout-factor=3.");
	}

	@Test
	void theFactorScalesTheLimit() {
		run("10").testEvents().assertStatistics((stats) -> stats.started(1).succeeded(1));
	}

	@Test
	void aFactorThatIsNotAPositiveNumberFailsNamingTheKnob() {
		EngineExecutionResults results = run("fast");
		results.testEvents().assertStatistics((stats) -> stats.started(1).failed(1));
		assertThat(results.testEvents()
			.failed()
			.list()
			.get(0)
			.getPayload(org.junit.platform.engine.TestExecutionResult.class)
			.orElseThrow()
			.getThrowable()
			.orElseThrow())
			.hasMessage("portreservation.test.timeout-factor must be a positive number such as 3 or 1.5, was 'fast'");
	}

	@Test
	void waitsOfTheTestsThemselvesScaleToo() {
		assertThat(GuardTimeoutExtension.scaled(60, "2.5").toSeconds()).isEqualTo(150);
		assertThat(GuardTimeoutExtension.scaled(60, null).toSeconds()).isEqualTo(60);
	}

	private static EngineExecutionResults run(String factor) {
		EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sleeper.class));
		if (factor != null) {
			builder.configurationParameter(GuardTimeout.FACTOR_PROPERTY, factor);
		}
		return builder.execute();
	}

	@GuardTimeout(1)
	static class Sleeper {

		@Test
		void sleepsThreeSeconds() throws InterruptedException {
			Thread.sleep(3000);
		}

	}

}
