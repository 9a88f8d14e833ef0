package dev.portreservation.boot.autoconfigure;

import dev.portreservation.boot.namedports.NamedPorts;
import dev.portreservation.boot.reservation.PortReservationLifecycle;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beans behind named ports ({@link NamedPortsInitializer}): one lifecycle holds the
 * block whether a named port or the {@code PortReservation} bean asked first, the lending
 * window closes when the context has started, and runs resolve to {@code first-last}.
 */
class NamedPortsContextTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(new NamedPortsInitializer())
		.withConfiguration(AutoConfigurations.of(PortReservationAutoConfiguration.class))
		.withPropertyValues("portreservation.backend=portable", "portreservation.count=8");

	@Test
	void aNamedPortResolvedFirstAndTheBeanShareOneLifecycle() {
		this.runner.withUserConfiguration(UsesNamedPorts.class).run((context) -> {
			NamedPorts namedPorts = context.getBean(NamedPorts.class);
			PortReservationLifecycle lifecycle = context.getBean(PortReservationLifecycle.class);
			assertThat(namedPorts.lifecycle(() -> null)).isSameAs(lifecycle);
			assertThat(context.getBean(PortReservation.class)).isSameAs(lifecycle.getReservation())
				.isSameAs(namedPorts.reservation());
			assertThat(context.getBean(NamedPortsInitializer.LENDING_WINDOW)).isNotNull();
		});
	}

	@Test
	void theBlockOfNamedPortsIsReleasedWithTheContextEvenWithoutTheBean() {
		PortReservation[] held = new PortReservation[1];
		this.runner.withUserConfiguration(UsesNamedPorts.class).run((context) -> {
			NamedPorts namedPorts = context.getBean(NamedPorts.class);
			held[0] = namedPorts.reservation();
			assertThat(context.getBeanFactory().containsSingleton("portReservation")).isFalse();
			assertThat(held[0].isOpen()).isTrue();
		});
		assertThat(held[0].isOpen()).isFalse();
	}

	@Test
	void namesAreLentUntilTheContextStartedAndRunsResolveToTheirRange() {
		this.runner.withUserConfiguration(UsesNamedPorts.class).run((context) -> {
			NamedPorts namedPorts = context.getBean(NamedPorts.class);
			UsesNamedPorts bean = context.getBean(UsesNamedPorts.class);
			assertThat(namedPorts.isLending()).isFalse();
			assertThat(bean.range).isEqualTo(bean.first + "-" + (bean.first + 2));
			assertThat(namedPorts.reservation().leases()).extracting(PortLease::owner)
				.containsExactlyInAnyOrder("web", "ftp", "ftp", "ftp");
			assertThat(context.getEnvironment().resolvePlaceholders("${portreservation.ports.other:none}"))
				.isEqualTo("none");
			assertThat(context.getEnvironment().getProperty("portreservation.ports.web", Integer.class))
				.isEqualTo(bean.web);
			assertThat(namedPorts.ports()).containsEntry("web", bean.web).containsEntry("ftp[3]", bean.first);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UsesNamedPorts {

		@Value("${portreservation.ports.web}")
		int web;

		@Value("${portreservation.ports.ftp[3]}")
		String range;

		@Value("${portreservation.ports.ftp[3].first}")
		int first;

		@Bean
		String marker() {
			return "uses named ports";
		}

	}

}
