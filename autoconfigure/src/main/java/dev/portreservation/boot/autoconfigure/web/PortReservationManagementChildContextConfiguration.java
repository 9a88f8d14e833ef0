package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.boot.autoconfigure.condition.ConditionalOnServerHooks;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Import;

/**
 * The management server on its own port ({@code management.server.port}) runs in a child
 * context that does not see the application context's post-processors: the same hooks,
 * imported again for the child, where they serve the management server (lease owner
 * {@code "management"}). The reservation itself comes from the parent context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnServerHooks
@Import({ ReservedServerConfigurations.Tomcat.class, ReservedServerConfigurations.Netty.class,
		ReservedServerConfigurations.Jetty.class })
public final class PortReservationManagementChildContextConfiguration {

}
