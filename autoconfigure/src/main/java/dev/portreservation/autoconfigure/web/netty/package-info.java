/**
 * Reactor Netty servers bound through the reserved block.
 */
@NullMarked
package dev.portreservation.autoconfigure.web.netty;

import org.jspecify.annotations.NullMarked;
