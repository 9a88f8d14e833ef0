package dev.portreservation.boot.autoconfigure.condition;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.portreservation.core.PortReservation;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the bean factory holds at least one {@link PortReservation} bean, counting
 * beans that are not default autowire candidates
 * ({@code @Bean(defaultCandidate = false)}), which {@code @ConditionalOnBean} ignores. An
 * application keeps a second block out of by-type injection that way (so it does not
 * displace the block of the embedded server), and still wants it observed.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnPortReservationBeanCondition.class)
public @interface ConditionalOnPortReservationBean {

}
