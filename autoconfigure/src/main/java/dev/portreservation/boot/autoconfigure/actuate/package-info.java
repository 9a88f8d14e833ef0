/**
 * Actuator support: the {@code portreservations} endpoint and the {@code portReservation}
 * health indicator.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
