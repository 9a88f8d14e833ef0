/**
 * Jetty connectors bound through the reserved block.
 */
@NullMarked
package dev.portreservation.autoconfigure.web.jetty;

import org.jspecify.annotations.NullMarked;
