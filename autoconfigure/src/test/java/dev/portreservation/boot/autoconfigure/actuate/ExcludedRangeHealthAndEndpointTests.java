package dev.portreservation.boot.autoconfigure.actuate;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portreservation.boot.actuate.endpoint.PortReservationsEndpoint;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.windows.ExcludedPortRanges;
import dev.portreservation.windows.SimulatedExcludedRanges;
import dev.portreservation.windows.WindowsSimulator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17.4: health and the {@code portreservations} endpoint say when a block overlaps
 * a range Windows excludes. The ranges come from netsh outputs users pasted in public
 * reports (the only stand-in: what netsh prints); the parser, the overlap and the
 * indicator are the real ones. A block of the portable fallback is what the system does
 * not know about, so Hyper-V / WinNAT can take ranges over it; a block of the windows
 * backend is itself listed (its own row), which is no overlap. Off Windows nothing
 * changes: no detail, no field, no netsh.
 */
@GuardTimeout(60)
class ExcludedRangeHealthAndEndpointTests {

	/** Overlaps 51417-51516 and 51517-51616 of {@code en-github-runner-tcp.txt}. */
	static final PortBlock OVER_TWO_SYSTEM_RANGES = new PortBlock(51510, 10);

	/** Overlaps the administered 55679 of {@code en-runner-administered-added.txt}. */
	static final PortBlock OVER_AN_ADMINISTERED_RANGE = new PortBlock(55675, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
				PortReservationHealthContributorAutoConfiguration.class,
				PortReservationsEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=portreservations");

	@Test
	void aPortableBlockUnderSystemRangesShowsEachRangeWithItsKindAndStaysUp() {
		portableBlock(OVER_TWO_SYSTEM_RANGES, "en-github-runner-tcp.txt").run((context) -> {
			Health health = context.getBean("portReservationHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKey("excludedRanges");
			List<?> ranges = (List<?>) health.getDetails().get("excludedRanges");
			assertThat(ranges).hasSize(2);
			assertThat((Map<Object, Object>) ranges.get(0)).containsEntry("range", "51417-51516")
				.containsEntry("start", 51417)
				.containsEntry("end", 51516)
				.containsEntry("administered", false)
				.containsEntry("holder", "held by the system (Hyper-V / WinNAT / WSL / http.sys), moves at reboot");
			assertThat((Map<Object, Object>) ranges.get(1)).containsEntry("range", "51517-51616");
			assertThat((String) health.getDetails().get("warning"))
				.contains("Ports of block 51510-51519 lie in "
						+ "the ranges 51417-51516, 51517-51616 Windows excludes, held by the system")
				.contains("fails (WSAEACCES)")
				.contains("ports already bound keep working")
				.contains("'portreservation excluded'");
			String json = endpointJson(context.getBean(PortReservationsEndpoint.class));
			assertThat(json).contains("\"excludedRanges\":[{\"range\":\"51417-51516\",\"start\":51417,\"end\":51516,"
					+ "\"administered\":false,\"holder\":\"held by the system (Hyper-V / WinNAT / WSL / http.sys), "
					+ "moves at reboot\"},{\"range\":\"51517-51616\"");
		});
	}

	@Test
	void anAdministeredRangeOverAPortableBlockIsNamedAdministered() {
		portableBlock(OVER_AN_ADMINISTERED_RANGE, "en-runner-administered-added.txt").run((context) -> {
			Health health = context.getBean("portReservationHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat((List<?>) health.getDetails().get("excludedRanges")).singleElement()
				.satisfies((range) -> assertThat((Map<Object, Object>) range).containsEntry("range", "55679-55679")
					.containsEntry("administered", true));
			assertThat((String) health.getDetails().get("warning"))
				.contains("lie in the administered range "
						+ "55679-55679 (a persistent reservation or an administrator's exclusion, not this block)")
				.doesNotContain("moves at reboot");
		});
	}

	@Test
	void aBlockOutsideEveryRangeShowsNothingNew() {
		portableBlock(new PortBlock(51617, 10), "en-github-runner-tcp.txt").run((context) -> {
			Health health = context.getBean("portReservationHealthContributor", HealthIndicator.class).health();
			assertThat(health.getDetails()).doesNotContainKeys("excludedRanges", "warning");
			assertThat(endpointJson(context.getBean(PortReservationsEndpoint.class))).doesNotContain("excludedRanges");
		});
	}

	@Test
	void theWindowsBackendsOwnRowIsNoOverlap() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		this.runner.withUserConfiguration(WindowsBlockListedAsItself.class).run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.backend()).isEqualTo("windows");
			SimulatedExcludedRanges netsh = context.getBean(SimulatedExcludedRanges.class);
			assertThat(ExcludedPortRanges.overlapping(netsh.netsh().read(Protocol.TCP), reservation.block()))
				.as("netsh lists the block itself")
				.isNotEmpty();
			Health health = context.getBean("portReservationHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).doesNotContainKeys("excludedRanges", "warning");
			assertThat(endpointJson(context.getBean(PortReservationsEndpoint.class))).doesNotContain("excludedRanges");
		});
	}

	@Test
	void offWindowsHealthAndEndpointAreAsBeforeAndNetshNeverRuns() {
		// No source bean: the system's, which off Windows knows no range and runs
		// nothing.
		this.runner.withUserConfiguration(PortableOnThisSystem.class).run((context) -> {
			Health health = context.getBean("portReservationHealthContributor", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().keySet())
				.isEqualTo(Set.of("block", "protocol", "kind", "enforcement", "portsInUse", "portsFree"));
			String json = endpointJson(context.getBean(PortReservationsEndpoint.class));
			assertThat(json).doesNotContain("excludedRanges").contains("\"leases\":[]}");
		});
	}

	/**
	 * @param block the block, reserved through the portable backend
	 * @param excludedRanges the {@code netsh} listing (a fixture) the excluded ranges are
	 * read from
	 * @return the runner with that block and those ranges
	 */
	private ApplicationContextRunner portableBlock(PortBlock block, String excludedRanges) {
		return this.runner
			.withBean("portReservation", PortReservation.class,
					() -> new PortablePortReservations().acquireRuntime(Protocol.TCP, block))
			.withBean("excludedPortRanges", ExcludedPortRanges.Source.class,
					() -> SimulatedExcludedRanges.fixture(excludedRanges));
	}

	private static String endpointJson(PortReservationsEndpoint endpoint) {
		return JsonMapper.builder().build().writeValueAsString(endpoint.reservations(SecurityContext.NONE));
	}

	@Configuration(proxyBeanMethods = false)
	static class PortableOnThisSystem {

		@Bean
		PortReservation portReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.TCP, OVER_TWO_SYSTEM_RANGES);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WindowsBlockListedAsItself {

		@Bean
		SimulatedExcludedRanges simulatedExcludedRanges() {
			return new SimulatedExcludedRanges();
		}

		@Bean
		ExcludedPortRanges.Source excludedPortRanges(SimulatedExcludedRanges ranges) {
			return ranges.netsh();
		}

		@Bean
		PortReservations windowsOnSimulator(ExcludedPortRanges.Source excluded) {
			return SimulatedExcludedRanges.backend(excluded);
		}

		@Bean
		PortReservation portReservation(PortReservations backend, SimulatedExcludedRanges ranges) {
			PortReservation reservation = backend.acquireRuntime(Protocol.TCP, 4);
			// As netsh lists a runtime reservation: a row of exactly the block.
			ranges.list(SimulatedExcludedRanges.system(reservation.block()));
			return reservation;
		}

	}

}
