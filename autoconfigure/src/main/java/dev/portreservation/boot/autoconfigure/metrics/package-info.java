/**
 * Micrometer meters of reserved port blocks.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
