/**
 * Conditions on the presence of {@code PortReservation} beans.
 */
@NullMarked
package dev.portreservation.autoconfigure.condition;

import org.jspecify.annotations.NullMarked;
