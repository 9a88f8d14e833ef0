package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * The management server on its own port ({@code management.server.port}) runs in a child
 * context that does not see the application context's post-processors: the same hooks,
 * imported again for the child, where they serve the management server (lease owner
 * {@code "management"}). The reservation itself comes from the parent context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = { "portreservation.enabled", "portreservation.server.enabled" },
		matchIfMissing = true)
@ConditionalOnBean(PortReservation.class)
@Import({ ReservedServerConfigurations.Tomcat.class, ReservedServerConfigurations.Netty.class,
		ReservedServerConfigurations.Jetty.class })
public final class PortReservationManagementChildContextConfiguration {

}
