/**
 * Conditions on the presence of {@code PortReservation} beans.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.condition;

import org.jspecify.annotations.NullMarked;
