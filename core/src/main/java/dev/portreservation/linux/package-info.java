/**
 * The Linux backend: runtime blocks held by holder sockets, persistent blocks recorded in
 * {@code ip_local_reserved_ports} with a state record.
 */
@NullMarked
package dev.portreservation.linux;

import org.jspecify.annotations.NullMarked;
