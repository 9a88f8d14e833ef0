package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12.5: a MOCK {@code @SpringBootTest} context (no embedded server; Spring caches
 * such contexts for the whole test run) holds no block. The block is placed on a free
 * range that the test then reserves itself.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.MOCK,
		properties = "portreservation.count=4")
class MockSpringBootTestHoldsNoBlockTests {

	private static final PortBlock BLOCK = freeBlock();

	@DynamicPropertySource
	static void block(DynamicPropertyRegistry registry) {
		registry.add("portreservation.start-port", BLOCK::startPort);
	}

	@Autowired
	private ConfigurableApplicationContext context;

	@Test
	void mockContextHoldsNoBlock() {
		assertThat(this.context.getBeanFactory().containsSingleton("portReservation")).isFalse();
		PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, BLOCK).close();
	}

	private static PortBlock freeBlock() {
		try (PortReservation probe = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 4)) {
			return probe.block();
		}
	}

}
