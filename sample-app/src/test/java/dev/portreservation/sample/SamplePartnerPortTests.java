package dev.portreservation.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.portreservation.core.PortReservation;
import dev.portreservation.test.ReservedPort;
import dev.portreservation.test.ReservedPorts;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's partner stub on its named port, in a test that gets its own block from
 * {@code @ReservedPorts}: Tomcat and the stub both listen on the test's block, the stub
 * on the port {@code @ReservedPort("partner")} names, and the endpoint lists it as a
 * lease.
 */
@ReservedPorts(count = 8)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@GuardTimeout(60)
class SamplePartnerPortTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void thePartnerStubListensOnItsNamedPortOfTheTestsBlock(PortReservation block, @ReservedPort("partner") int partner)
			throws Exception {
		assertThat(List.of(this.port, partner)).allMatch(block.block()::contains).doesNotHaveDuplicates();
		DocumentContext response = JsonPath.parse(get("/partner"));
		assertThat(response.read("$.port", Integer.class)).isEqualTo(partner);
		assertThat(response.read("$.response", String.class)).isEqualTo("{\"partner\":\"ok\"}");
		DocumentContext endpoint = JsonPath.parse(get("/actuator/portreservations/portReservation"));
		assertThat(endpoint.read("$.block", String.class)).isEqualTo(block.block().toString());
		assertThat(endpoint.read("$.leases[?(@.owner == 'partner')].port", List.class)).containsExactly(partner);
		assertThat(endpoint.read("$.leases[?(@.owner == 'server')].port", List.class)).containsExactly(this.port);
	}

	private String get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

}
