/**
 * The port reservation API: a reserved block of TCP or UDP ports
 * ({@link dev.portreservation.core.PortReservation}), the backends that reserve it
 * ({@link dev.portreservation.core.PortReservations}) and their failures. No Spring, no
 * backend: those live in their own packages.
 */
@NullMarked
package dev.portreservation.core;

import org.jspecify.annotations.NullMarked;
