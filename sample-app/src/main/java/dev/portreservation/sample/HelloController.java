package dev.portreservation.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Says which port the request came in on, so a caller can see it is one of the reserved block.
 */
@RestController
class HelloController {

	private final String port;

	HelloController(@Value("${local.server.port:unknown}") String port) {
		this.port = port;
	}

	@GetMapping("/")
	String hello() {
		return "Hello from a reserved port: " + this.port + "\n";
	}

}
