/**
 * Binding an embedded server's listening sockets through the reserved block: the port
 * rules every server shares.
 */
@NullMarked
package dev.portreservation.boot.web;

import org.jspecify.annotations.NullMarked;
