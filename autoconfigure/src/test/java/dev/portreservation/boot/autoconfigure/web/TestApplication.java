package dev.portreservation.boot.autoconfigure.web;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The smallest web application: one endpoint, served by Spring MVC or WebFlux alike.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(TestApplication.HelloController.class)
class TestApplication {

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
