/**
 * Spring Boot auto-configuration of a reserved block of ports: properties, the
 * {@code PortReservation} bean, its lifecycle and the failure analysis.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
