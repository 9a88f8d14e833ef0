/**
 * Micrometer meters of reserved port blocks.
 */
@NullMarked
package dev.portreservation.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
