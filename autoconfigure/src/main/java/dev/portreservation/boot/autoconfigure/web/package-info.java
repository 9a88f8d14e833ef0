/**
 * The embedded web server binds its listening sockets through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
