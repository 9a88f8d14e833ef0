package dev.portreservation.boot.autoconfigure.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real application with an embedded server on 127.0.0.1, started for one test and
 * closed after it. Shared with the Boot 3.5 artifact's tests, each generation choosing
 * the server its own way ({@link EmbeddedServer}).
 */
final class RunningServer implements AutoCloseable {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ConfigurableApplicationContext context;

	private final List<WebServerInitializedEvent> events;

	private RunningServer(ConfigurableApplicationContext context, List<WebServerInitializedEvent> events) {
		this.context = context;
		this.events = events;
	}

	/**
	 * @param kind which server
	 * @param properties extra properties, {@code key=value}
	 * @return the started application
	 */
	static RunningServer start(EmbeddedServer kind, String... properties) {
		return start(kind, new Class<?>[0], properties);
	}

	/**
	 * @param kind which server
	 * @param sources extra configuration classes
	 * @param properties extra properties, {@code key=value}
	 * @return the started application
	 */
	static RunningServer start(EmbeddedServer kind, Class<?>[] sources, String... properties) {
		List<WebServerInitializedEvent> events = new ArrayList<>();
		SpringApplication application = builder(kind, properties).sources(sources)
			.listeners((ApplicationListener<WebServerInitializedEvent>) events::add)
			.build();
		return new RunningServer(application.run(), events);
	}

	/**
	 * @param context an application started by the test itself
	 * @return it, for the HTTP and port helpers (no events recorded)
	 */
	static RunningServer of(ConfigurableApplicationContext context) {
		return new RunningServer(context, List.of());
	}

	static SpringApplicationBuilder builder(EmbeddedServer kind, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.address=127.0.0.1", "spring.main.banner-mode=off"));
		all.addAll(kind.properties());
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(TestApplication.class).sources(kind.sources())
			.web(kind.type())
			.properties(all.toArray(String[]::new));
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	PortReservation reservation() {
		return this.context.getBean(PortReservation.class);
	}

	int webServerPort() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	int localServerPort() {
		return this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/**
	 * @return the port of the management server on its own port, as Boot publishes it
	 */
	int localManagementPort() {
		return this.context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

	List<WebServerInitializedEvent> events() {
		return this.events;
	}

	String get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

	/**
	 * @param failure what starting the application threw
	 * @return the {@link PortReservationException} in its cause chain, which fails the
	 * assertion when there is none (or nothing was thrown)
	 */
	static PortReservationException reservationFailure(Throwable failure) {
		assertThat(failure).as("the server must not start").isNotNull();
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof PortReservationException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("a PortReservationException in the cause chain of %s", failure)
			.isInstanceOf(PortReservationException.class);
		return (PortReservationException) candidate;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
