/**
 * The port reservation API: a reserved block of TCP or UDP ports
 * ({@link dev.portreservation.core.PortReservation}), the backends that reserve it
 * ({@link dev.portreservation.core.PortReservations}) and their failures. No Spring. The
 * one class here that knows the backends is the factory ({@code PlatformBackends}, behind
 * {@link dev.portreservation.core.PortReservations#create}); the backends live in their
 * own packages and share the runtime in {@code dev.portreservation.core.internal}, which
 * is not API.
 */
@NullMarked
package dev.portreservation.core;

import org.jspecify.annotations.NullMarked;
