package dev.portreservation.boot.autoconfigure.condition;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.portreservation.core.PortReservation;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches when the servers Spring Boot starts are to bind through the block: the
 * reservation and its server hooks are switched on ({@code portreservation.enabled} and
 * {@code portreservation.server.enabled}, both on unless set to {@code false}) and a
 * {@link PortReservation} bean is defined (in this context or an ancestor). The one rule
 * for every server hook: the web servers of the application and management contexts,
 * RSocket and gRPC.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnBooleanProperty(name = { "portreservation.enabled", "portreservation.server.enabled" },
		matchIfMissing = true)
@ConditionalOnBean(PortReservation.class)
public @interface ConditionalOnServerHooks {

}
