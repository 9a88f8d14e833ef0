package dev.portreservation.test;

import java.io.IOException;

import com.sun.net.httpserver.HttpServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.portreservation.core.LoopbackHttp;

/**
 * A web application with a third-party server configured by port number
 * ({@code mock.port}), as an application configures WireMock or a mock SMTP server.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class MockServerApplication {

	@Bean(destroyMethod = "")
	HttpServer mockServer(@Value("${mock.port}") int port) throws IOException {
		return LoopbackHttp.serve(port, "mock");
	}

	@Bean
	AutoCloseable mockServerStopper(HttpServer mockServer) {
		return () -> mockServer.stop(0);
	}

	@RestController
	static class Hello {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
