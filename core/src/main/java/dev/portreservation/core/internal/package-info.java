/**
 * Not API: the runtime the backends share (the base reservations and their bind path, the
 * lease table, the watcher, the lent-port channel, bind diagnosis). Public only because
 * the backends live in other packages; it may change in any release. Use
 * {@link dev.portreservation.core.PortReservation} and
 * {@link dev.portreservation.core.PortReservations} instead.
 */
@NullMarked
package dev.portreservation.core.internal;

import org.jspecify.annotations.NullMarked;
