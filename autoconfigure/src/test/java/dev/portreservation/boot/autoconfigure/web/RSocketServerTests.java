package dev.portreservation.boot.autoconfigure.web;

import java.time.Duration;
import java.util.List;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The RSocket server Spring Boot starts on {@code spring.rsocket.server.port} binds
 * through the block, alone and next to the reactive web server, and answers real RSocket
 * requests.
 */
@GuardTimeout(60)
class RSocketServerTests {

	@Test
	void theRSocketServerListensOnAPortOfTheBlock() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.rsocket.server.address=127.0.0.1",
					"spring.rsocket.server.port=0", "portreservation.count=3")
			.run()) {
			PortReservation reservation = context.getBean(PortReservation.class);
			int port = context.getEnvironment().getRequiredProperty("local.rsocket.server.port", Integer.class);
			assertThat(reservation.block().contains(port)).as("port %d in %s", port, reservation.block()).isTrue();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(tuple(port, "rsocket"));
			assertThat(echo(context, port)).isEqualTo("echo:hi");
		}
	}

	@Test
	void theWebServerAndTheRSocketServerShareTheBlock() throws Exception {
		try (RunningServer app = RunningServer.start(EmbeddedServer.NETTY, new Class<?>[] { EchoApplication.class },
				"spring.rsocket.server.address=127.0.0.1", "spring.rsocket.server.port=0", "portreservation.count=2")) {
			PortReservation reservation = app.reservation();
			int rsocket = app.context()
				.getEnvironment()
				.getRequiredProperty("local.rsocket.server.port", Integer.class);
			int web = app.webServerPort();
			assertThat(List.of(web, rsocket)).allMatch(reservation.block()::contains).doesNotHaveDuplicates();
			assertThat(reservation.leases()).extracting(PortLease::owner)
				.containsExactlyInAnyOrder("server", "rsocket");
			assertThat(app.get(web, "/hello")).isEqualTo("200 hello");
			assertThat(echo(app.context(), rsocket)).isEqualTo("echo:hi");
		}
	}

	@Test
	void anRSocketPortOutsideTheBlockFailsStartup() {
		// Below 1024: never inside a block the backend places itself.
		SpringApplicationBuilder application = new SpringApplicationBuilder(EchoApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.rsocket.server.address=127.0.0.1",
					"spring.rsocket.server.port=1023", "portreservation.count=1");
		assertThatExceptionOfType(Exception.class).isThrownBy(application::run)
			.withStackTraceContaining("spring.rsocket.server.port=1023 lies outside the reserved block");
	}

	private static String echo(ConfigurableApplicationContext context, int port) {
		RSocketRequester requester = context.getBean(RSocketRequester.Builder.class).tcp("127.0.0.1", port);
		try {
			return requester.route("echo").data("hi").retrieveMono(String.class).block(Duration.ofSeconds(10));
		}
		finally {
			requester.dispose();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(EchoController.class)
	static class EchoApplication {

	}

	@Controller
	static class EchoController {

		@MessageMapping("echo")
		Mono<String> echo(String text) {
			return Mono.just("echo:" + text);
		}

	}

}
