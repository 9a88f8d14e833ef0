package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.reservation.PortReservationLifecycle;
import java.net.InetAddress;
import java.nio.channels.DatagramChannel;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.portable.PortablePortReservations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.portreservation.boot.autoconfigure.FailureAnalysisAssert.analyze;
import static dev.portreservation.boot.autoconfigure.FailureAnalysisAssert.analyzedByPortReservation;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PortReservationAutoConfiguration}: every bean, every property, every bad value.
 */
class PortReservationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class));

	private final ApplicationContextRunner portable = this.runner
		.withPropertyValues("portreservation.backend=portable");

	@Test
	void defaultsReserveARuntimeTcpBlockOfEightPortsOnThePlatformBackend() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PortReservations.class)
				.hasSingleBean(PortReservation.class)
				.hasSingleBean(PortReservationLifecycle.class);
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.backend()).isEqualTo(PortReservations.forCurrentPlatform().name());
			assertThat(reservation.kind()).isEqualTo(ReservationKind.RUNTIME);
			assertThat(reservation.protocol()).isEqualTo(Protocol.TCP);
			assertThat(reservation.block().count()).isEqualTo(8);
			assertThat(reservation.isOpen()).isTrue();
		});
	}

	@Test
	void closesTheReservationWhenTheContextCloses() {
		PortReservation[] held = new PortReservation[1];
		this.portable.run((context) -> held[0] = context.getBean(PortReservation.class));
		assertThat(held[0].isOpen()).isFalse();
		// A runtime block goes back to the OS: the same block can be reserved again.
		try (PortReservation again = new PortablePortReservations().acquireRuntime(Protocol.TCP, held[0].block())) {
			assertThat(again.block()).isEqualTo(held[0].block());
		}
	}

	@Test
	void backendPropertySelectsTheBackend() {
		this.portable.run((context) -> {
			assertThat(context.getBean(PortReservations.class)).isInstanceOf(PortablePortReservations.class);
			assertThat(context.getBean(PortReservation.class).backend()).isEqualTo("portable");
		});
	}

	@Test
	void backsOffForAUserPortReservationsBean() {
		this.runner.withUserConfiguration(UserBackend.class).run((context) -> {
			assertThat(context).getBean(PortReservations.class).isSameAs(UserBackend.BACKEND);
			assertThat(context.getBean(PortReservation.class).backend()).isEqualTo("portable");
		});
	}

	@Test
	void backsOffForAUserPortReservationBean() {
		this.portable.withUserConfiguration(UserReservation.class).run((context) -> {
			assertThat(context).hasSingleBean(PortReservation.class).doesNotHaveBean(PortReservationLifecycle.class);
			assertThat(context.getBean(PortReservation.class).block()).isEqualTo(UserReservation.BLOCK);
		});
	}

	@Test
	void disabledReservesNothing() {
		this.portable.withPropertyValues("portreservation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PortReservations.class)
				.doesNotHaveBean(PortReservation.class));
	}

	@Test
	void startPortAndCountGiveTheBlock() {
		PortBlock block = freeBlock(3);
		this.portable.withPropertyValues("portreservation.start-port=" + block.startPort(), "portreservation.count=3")
			.run((context) -> assertThat(context.getBean(PortReservation.class).block()).isEqualTo(block));
	}

	@Test
	void udpProtocolReservesADatagramBlock() {
		this.portable.withPropertyValues("portreservation.protocol=udp", "portreservation.count=2").run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.protocol()).isEqualTo(Protocol.UDP);
			try (DatagramChannel channel = DatagramChannel.open()) {
				int port = reservation.bind(channel, InetAddress.getLoopbackAddress());
				assertThat(reservation.block().contains(port)).isTrue();
			}
		});
	}

	@Test
	void persistentBlockCreatedByThisApplicationIsDeletedOnShutdownWhenAsked() {
		PortBlock block = freeBlock(4);
		persistent(block).withPropertyValues("portreservation.delete-on-shutdown=true").run((context) -> {
			PortReservation reservation = context.getBean(PortReservation.class);
			assertThat(reservation.kind()).isEqualTo(ReservationKind.PERSISTENT);
			assertThat(reservation.createdByThisProcess()).isTrue();
		});
		assertThat(new PortablePortReservations().lookupPersistent(Protocol.TCP, block)).isEmpty();
	}

	@Test
	void persistentBlockIsKeptOnShutdownByDefault() {
		PortBlock block = freeBlock(4);
		assertKeptAfterShutdown(block, persistent(block), true);
	}

	@Test
	void persistentBlockFoundExistingIsNeverDeleted() {
		PortBlock block = freeBlock(4);
		new PortablePortReservations().createPersistent(Protocol.TCP, block).close();
		assertKeptAfterShutdown(block, persistent(block).withPropertyValues("portreservation.delete-on-shutdown=true"),
				false);
	}

	/**
	 * Runs an application on a persistent block and checks that the block outlives it;
	 * deletes the block afterwards.
	 * @param block the block
	 * @param application the application
	 * @param createdByTheApplication whether the application is to have created the block
	 */
	private static void assertKeptAfterShutdown(PortBlock block, ApplicationContextRunner application,
			boolean createdByTheApplication) {
		PortablePortReservations backend = new PortablePortReservations();
		try {
			application.run((context) -> assertThat(context.getBean(PortReservation.class).createdByThisProcess())
				.isEqualTo(createdByTheApplication));
			assertThat(backend.lookupPersistent(Protocol.TCP, block)).isPresent();
		}
		finally {
			backend.deletePersistent(Protocol.TCP, block);
		}
	}

	@Test
	void blockHeldByAnotherReservationFailsWithTheAnalyzersFix() {
		PortBlock block = freeBlock(2);
		try (PortReservation other = new PortablePortReservations().acquireRuntime(Protocol.TCP, block)) {
			// The block is reserved when first asked for: here by a bean that injects it.
			this.portable
				.withPropertyValues("portreservation.start-port=" + block.startPort(), "portreservation.count=2")
				.withUserConfiguration(InjectsTheBlock.class)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOfSatisfying(PortReservationException.class,
								(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
					FailureAnalysis analysis = analyzedByPortReservation(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("TCP " + block).contains("CONFLICT");
					assertThat(analysis.getAction()).contains("portreservation.start-port");
				});
		}
	}

	// The report names the property as written (portreservation.start-port), never the
	// Java field (startPort) Boot's generic report would.
	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					portreservation.count              | 0       | count           | must be between 1 and 65535 ports
					portreservation.count              | 70000   | count           | must be between 1 and 65535 ports
					portreservation.start-port         | -1      | start-port      | must be 0 (the operating system picks the block) or a port between 1 and 65535
					portreservation.start-port         | 70000   | start-port      | must be 0 (the operating system picks the block) or a port between 1 and 65535
					portreservation.kind               | persistent | start-port   | must be set for a persistent block
					portreservation.count              | 65530+8 | count           | would end at port 65537, beyond 65535
					portreservation.delete-on-shutdown | true    | delete-on-shutdown | applies only to portreservation.kind=persistent
					""")
	void badValueFailsStartupNamingThePropertyAndTheFix(String property, String value, String field, String reason) {
		String[] properties = switch (value) {
			case "65530+8" -> new String[] { "portreservation.start-port=65530", "portreservation.count=8" };
			default -> new String[] { property + "=" + value };
		};
		this.portable.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Property: portreservation." + field).contains(reason);
			if (!property.equals("portreservation.kind")) {
				assertThat(analysis.getDescription()).contains("Origin:   \"" + property + "\"");
			}
			assertThat(analysis.getAction()).isNotBlank().doesNotContain("Update your application's configuration");
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "portreservation.protocol, sctp", "portreservation.kind, forever", "portreservation.backend, bsd",
			"portreservation.count, eight" })
	void unconvertibleValueFailsStartupNamingTheProperty(String property, String value) {
		this.portable.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(property).contains(value);
		});
	}

	private ApplicationContextRunner persistent(PortBlock block) {
		return this.portable.withPropertyValues("portreservation.kind=persistent",
				"portreservation.start-port=" + block.startPort(), "portreservation.count=" + block.count());
	}

	private static PortBlock freeBlock(int count) {
		try (PortReservation probe = new PortablePortReservations().acquireRuntime(Protocol.TCP, count)) {
			return probe.block();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectsTheBlock {

		InjectsTheBlock(PortReservation reservation) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackend {

		static final PortReservations BACKEND = new PortablePortReservations();

		@Bean
		PortReservations userBackend() {
			return BACKEND;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserReservation {

		static final PortBlock BLOCK = freeBlock(2);

		@Bean
		PortReservation userReservation() {
			return new PortablePortReservations().acquireRuntime(Protocol.TCP, BLOCK);
		}

	}

}
