/**
 * Jetty connectors bound through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.web.jetty;

import org.jspecify.annotations.NullMarked;
