package dev.portreservation.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.portreservation.core.Protocol;

/**
 * Gives the test class its own block of ports, reserved before its first test and
 * released after its last. The block is chosen by the operating system's backend and held
 * by it, so two classes, in two threads or two surefire forks, never get the same ports.
 * <p>
 * Inject the {@link dev.portreservation.core.PortReservation} as a parameter or a field,
 * or a port of the block by name with {@link ReservedPort}. With {@code @SpringBootTest}
 * the application context uses this block: its servers bind through it and
 * {@code ${portreservation.ports.<name>}} resolves to the same port as
 * {@code @ReservedPort("<name>")}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PortReservationExtension.class)
public @interface ReservedPorts {

	/**
	 * @return the number of ports in the block
	 */
	int count() default 4;

	/**
	 * @return the protocol of the block
	 */
	Protocol protocol() default Protocol.TCP;

}
