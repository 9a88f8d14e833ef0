/**
 * The Windows backend through JNA: {@code SIO_ACQUIRE_PORT_RESERVATION},
 * {@code SIO_ASSOCIATE_PORT_RESERVATION} and the persistent port reservations of the IP
 * Helper API.
 */
@NullMarked
package dev.portreservation.windows;

import org.jspecify.annotations.NullMarked;
