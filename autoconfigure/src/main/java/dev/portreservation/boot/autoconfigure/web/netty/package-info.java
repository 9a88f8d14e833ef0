/**
 * Reactor Netty servers bound through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.web.netty;

import org.jspecify.annotations.NullMarked;
