package dev.portreservation.sample;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Says which port the request came in on, so a caller can see it is one of the reserved
 * block.
 */
@RestController
class HelloController {

	// The port is read per request: local.server.port is only known once the server has
	// bound, after
	// this controller was created.
	@GetMapping("/")
	String hello(HttpServletRequest request) {
		return "Hello from a reserved port: " + request.getLocalPort() + "\n";
	}

}
