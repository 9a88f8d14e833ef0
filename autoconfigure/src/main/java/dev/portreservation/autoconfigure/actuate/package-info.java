/**
 * Actuator support: the {@code portreservations} endpoint and the {@code portReservation}
 * health indicator.
 */
@NullMarked
package dev.portreservation.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
