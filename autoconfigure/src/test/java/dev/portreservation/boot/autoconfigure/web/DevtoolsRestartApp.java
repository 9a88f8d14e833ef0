package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.devtools.restart.Restarter;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application run under real devtools by {@link DevtoolsRestartProcessTests}: once
 * started it prints its block and port, then asks devtools to restart it,
 * {@code restarts.left} times, then exits.
 */
public final class DevtoolsRestartApp {

	private DevtoolsRestartApp() {
	}

	public static void main(String[] args) {
		RunningServer
			.builder(EmbeddedServer.TOMCAT, "portreservation.count=4", "spring.devtools.livereload.enabled=false",
					"management.server.port=-1")
			.sources(RestartWhenReady.class)
			.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	static class RestartWhenReady {

		@Bean
		ApplicationListener<ApplicationReadyEvent> restartWhenReady() {
			return (event) -> {
				ConfigurableApplicationContext context = event.getApplicationContext();
				PortReservation reservation = context.getBean(PortReservation.class);
				System.out.println("STARTED block=" + reservation.block() + " port="
						+ context.getEnvironment().getProperty("local.server.port") + " loader="
						+ context.getClassLoader().getClass().getSimpleName());
				int left = Integer.getInteger("restarts.left", 0);
				Thread next = new Thread(() -> {
					if (left > 0) {
						System.setProperty("restarts.left", String.valueOf(left - 1));
						Restarter.getInstance().restart();
					}
					else {
						System.exit(0);
					}
				}, "restart-trigger");
				next.start();
			};
		}

	}

}
