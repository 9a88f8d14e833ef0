package dev.portreservation.core.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lock a field, method or class is guarded by: read or change it only while holding
 * that lock. Where a check is possible the guarded code checks it too ({@link LeaseTable}
 * throws when called without its lock), so the contract is not prose alone.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.TYPE })
public @interface GuardedBy {

	/**
	 * @return the lock, by the name of the field that holds it
	 */
	String value();

}
