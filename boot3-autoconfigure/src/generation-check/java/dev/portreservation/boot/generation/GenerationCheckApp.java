package dev.portreservation.boot.generation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A plain web application, started in a child JVM on a class path of the other Spring
 * Boot generation; prints the port its server listens on and stops.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class GenerationCheckApp {

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = SpringApplication.run(GenerationCheckApp.class, args)) {
			System.out.println("STARTED port=" + context.getEnvironment().getProperty("local.server.port"));
		}
	}

}
