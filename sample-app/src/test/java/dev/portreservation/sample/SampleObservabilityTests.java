package dev.portreservation.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app on a real Tomcat: the {@code portreservations} endpoint, health and the
 * Prometheus scrape follow real UDP binds and releases of the app's own block, over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.udp.ports=3")
@GuardTimeout(60)
class SampleObservabilityTests {

	private static final Pattern METRIC_VALUE = Pattern.compile(" ([0-9.Ee+-]+)$");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("udpReservation")
	private PortReservation udpReservation;

	@Test
	void endpointHealthAndMetricsFollowBindsAndReleases() throws Exception {
		String block = this.udpReservation.block().toString();

		// The echo holds one port from startup.
		DocumentContext reservation = udpReservationJson();
		assertThat(reservation.read("$.block", String.class)).isEqualTo(block);
		assertThat(reservation.read("$.protocol", String.class)).isEqualTo("UDP");
		assertThat(reservation.read("$.kind", String.class)).isEqualTo("RUNTIME");
		assertThat(reservation.read("$.token", String.class)).isEqualTo("******");
		assertThat(reservation.read("$.portsInUse", Integer.class)).isEqualTo(1);
		assertThat(reservation.read("$.leases[0].owner", String.class)).isEqualTo(UdpEcho.OWNER);
		assertThat(reservation.read("$.leases[0].ownerType", String.class)).isEqualTo("application");
		assertThat(udpHealth().read("$.status", String.class)).isEqualTo("UP");
		assertThat(scrape("portreservation_ports_used_ports", block)).isEqualTo(1);

		// Two more binds exhaust the block of three; a third is refused.
		int first = JsonPath.parse(post("/udp/ports", 201)).read("$.port", Integer.class);
		assertThat(udpHealth().read("$.details.warning", String.class))
			.isEqualTo("Only 1 of 3 ports of block " + block + " are free");
		post("/udp/ports", 201);
		assertThat(JsonPath.parse(post("/udp/ports", 409)).read("$.reason", String.class)).isEqualTo("EXHAUSTED");

		reservation = udpReservationJson();
		assertThat(reservation.read("$.portsInUse", Integer.class)).isEqualTo(3);
		assertThat(reservation.read("$.portsFree", Integer.class)).isZero();
		assertThat(udpHealth().read("$.status", String.class)).isEqualTo("DOWN");
		assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
		assertThat(scrape("portreservation_ports_free_ports", block)).isZero();
		assertThat(scrape("portreservation_binds_total", block, "outcome=\"failure\"", "reason=\"exhausted\""))
			.isEqualTo(1);

		// Releasing one port brings the block back.
		assertThat(send(HttpRequest.newBuilder(uri("/udp/ports/" + first)).DELETE()).statusCode()).isEqualTo(204);
		assertThat(udpHealth().read("$.status", String.class)).isEqualTo("UP");
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(udpReservationJson().read("$.portsInUse", Integer.class)).isEqualTo(2);
		assertThat(scrape("portreservation_ports_used_ports", block)).isEqualTo(2);
		assertThat(scrape("portreservation_releases_total", block)).isEqualTo(1);
	}

	@Test
	void echoAnswersOnAPortOfTheBlock() throws Exception {
		int echoPort = JsonPath.parse(get("/udp/echo").body()).read("$.port", Integer.class);
		assertThat(this.udpReservation.block().contains(echoPort)).isTrue();
		try (DatagramChannel client = DatagramChannel.open()) {
			client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), echoPort));
			client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
			ByteBuffer answer = ByteBuffer.allocate(16);
			client.read(answer);
			answer.flip();
			assertThat(StandardCharsets.UTF_8.decode(answer).toString()).isEqualTo("ping");
		}
	}

	private DocumentContext udpReservationJson() throws IOException, InterruptedException {
		return JsonPath.parse((Map<?, ?>) JsonPath.parse(get("/actuator/portreservations").body())
			.read("$.reservations.udpReservation", Map.class));
	}

	/**
	 * The UDP block's health: the whole {@code portReservation} component when it is the
	 * only reservation, its {@code udpReservation} member when the starter's server block
	 * is there too.
	 */
	private DocumentContext udpHealth() throws IOException, InterruptedException {
		DocumentContext component = JsonPath.parse(get("/actuator/health/portReservation").body());
		Map<?, ?> members = component.read("$", Map.class);
		if (members.containsKey("components")) {
			return JsonPath.parse((Map<?, ?>) component.read("$.components.udpReservation", Map.class));
		}
		return component;
	}

	private double scrape(String name, String block, String... moreTags) throws IOException, InterruptedException {
		String scrape = get("/actuator/prometheus").body();
		for (String line : scrape.split("\n")) {
			if (line.startsWith(name + "{") && line.contains("block=\"" + block + "\"")
					&& line.contains("reservation=\"udpReservation\"") && containsAll(line, moreTags)) {
				Matcher value = METRIC_VALUE.matcher(line);
				assertThat(value.find()).as(line).isTrue();
				return Double.parseDouble(value.group(1));
			}
		}
		throw new AssertionError("No " + name + " sample for block " + block + " in:\n" + scrape);
	}

	private static boolean containsAll(String line, String... parts) {
		for (String part : parts) {
			if (!line.contains(part)) {
				return false;
			}
		}
		return true;
	}

	private String post(String path, int expectedStatus) throws IOException, InterruptedException {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return response.body();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
