/**
 * The Actuator endpoint that lists the reserved blocks, their leases and what the OS
 * enforces.
 */
@NullMarked
package dev.portreservation.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
