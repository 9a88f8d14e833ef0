package dev.portreservation.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /partner} calls the partner stub on its named port and says which port that
 * was.
 */
@RestController
class PartnerController {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final PartnerStub partner;

	PartnerController(PartnerStub partner) {
		this.partner = partner;
	}

	@GetMapping("/partner")
	Map<String, Object> partner() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.partner.port() + "/status"))
			.timeout(Duration.ofSeconds(5))
			.build();
		String body = this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		return Map.of("port", this.partner.port(), "response", body);
	}

}
