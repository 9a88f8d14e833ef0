/**
 * Reactor Netty and Netty server channels bound through the reserved block, for Boot's
 * servers and app-built ones.
 */
@NullMarked
package dev.portreservation.boot.web.netty;

import org.jspecify.annotations.NullMarked;
