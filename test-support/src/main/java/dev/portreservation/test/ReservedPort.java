package dev.portreservation.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a port of the test class's block lent under a name ({@code int} or
 * {@code Integer} parameter or field), for a component that binds a port number itself.
 * The same name gives the same port for the whole class; different names give different
 * ports. See {@link dev.portreservation.core.PortReservation#lend(String)} for how the
 * port is held until the component binds it.
 */
@Target({ ElementType.PARAMETER, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReservedPort {

	/**
	 * @return the port's name, shown as its lease's owner
	 */
	String value();

}
