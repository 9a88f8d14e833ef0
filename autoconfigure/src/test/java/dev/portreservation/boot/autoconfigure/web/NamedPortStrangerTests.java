package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.portreservation.boot.autoconfigure.FailureAnalysisAssert;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.linux.Attacker;
import dev.portreservation.linux.ThrowawayUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 16.3 / Deliver 3: a named port taken during startup fails startup. Another real
 * Unix user binds the lent port {@code ${portreservation.ports.partner}} after it was
 * lent and before the component binds it (every address family and socket option); the
 * component, as in the reported case, logs its {@code BindException} and carries on.
 * Wherever the stranger got a socket onto the port, startup fails with {@code CONFLICT}
 * naming the name, the port and the stranger's uid; where the holder refused it, the
 * application starts and the component serves.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamedPortStrangerTests {

	/** The other Unix user of the Spring tests' socket attacks. */
	private static final String STRANGER = "prh3a";

	private static final AtomicInteger attempts = new AtomicInteger();

	private static final AtomicInteger strangersBound = new AtomicInteger();

	private static final AtomicInteger startupsFailed = new AtomicInteger();

	@AfterAll
	static void report() {
		System.out.println("Named port attacked during startup: " + attempts + " variants, the stranger bound "
				+ strangersBound + ", startups failed " + startupsFailed);
	}

	@ParameterizedTest(name = "{0} {1} SO_REUSEADDR={2} SO_REUSEPORT={3}")
	@CsvSource({ "tcp-listen, 127.0.0.1, true, false", "tcp-listen, 127.0.0.1, true, true",
			"tcp, 127.0.0.1, true, false", "tcp, 127.0.0.1, true, true", "tcp-listen, ::1, true, false",
			"tcp, ::1, true, true", "tcp-listen, 0.0.0.0, true, false", "tcp-listen, ::, true, true",
			"tcp-listen, 127.0.0.1, false, false", "tcp-listen, 127.0.0.1, false, true", "tcp, ::, false, true" })
	void aStrangerOnALentPortFailsStartupNamingItself(String kind, String address, boolean reuseAddress,
			boolean reusePort) throws Exception {
		attempts.incrementAndGet();
		try (Attacker stranger = Attacker.otherUser(STRANGER)) {
			AtomicBoolean bound = new AtomicBoolean();
			Partner.beforeBind = (port) -> bound.set(stranger.bind(kind, address, port, reuseAddress, reusePort));
			ConfigurableApplicationContext[] started = new ConfigurableApplicationContext[1];
			Throwable failure = catchThrowable(() -> started[0] = RunningServer
				.builder(EmbeddedServer.TOMCAT, "portreservation.count=2",
						"partner.port=${portreservation.ports.partner}")
				.web(WebApplicationType.NONE)
				.sources(Partner.class)
				.run());
			if (!bound.get()) {
				assertThat(failure).as("the holder refused the stranger: the application starts").isNull();
				try (ConfigurableApplicationContext context = started[0]) {
					assertThat(context.getBean(Partner.class).server).as("the component listens").isNotNull();
				}
				return;
			}
			strangersBound.incrementAndGet();
			if (started[0] != null) {
				started[0].close();
			}
			assertThat(failure).as("a stranger on the lent port must fail startup").isNotNull();
			startupsFailed.incrementAndGet();
			PortReservationException conflict = cause(failure);
			assertThat(conflict.getReason()).isEqualTo(Reason.CONFLICT);
			assertThat(conflict.getMessage()).contains("Named port 'partner'");
			long uid = ThrowawayUser.ensure(STRANGER).uid();
			assertThat(conflict.getHolders()).extracting(PortHolder::uid).contains(uid);
			FailureAnalysis analysis = FailureAnalysisAssert.analyze(failure);
			assertThat(analysis.getDescription()).contains("Named port 'partner'");
		}
	}

	private static PortReservationException cause(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof PortReservationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a PortReservationException in %s", failure).isNotNull();
		return (PortReservationException) cause;
	}

	/**
	 * A third-party component that binds the port number it is given, and, like the one
	 * in the report, logs a failed bind and carries on.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Partner {

		static volatile PortAction beforeBind = (port) -> {
		};

		volatile HttpServer server;

		@Bean
		Object partnerServer(@Value("${partner.port}") int port) throws Exception {
			beforeBind.run(port);
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
				this.server.start();
			}
			catch (IOException ex) {
				System.out.println("Partner could not bind " + port + ": " + ex + "; carrying on");
			}
			return (AutoCloseable) () -> {
				if (this.server != null) {
					this.server.stop(0);
				}
			};
		}

	}

	@FunctionalInterface
	interface PortAction {

		void run(int port) throws Exception;

	}

}
