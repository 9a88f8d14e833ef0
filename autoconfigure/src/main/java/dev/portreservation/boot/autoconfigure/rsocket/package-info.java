/**
 * Auto-configuration that binds the RSocket server through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.rsocket;

import org.jspecify.annotations.NullMarked;
