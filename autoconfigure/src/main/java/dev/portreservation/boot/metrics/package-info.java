/**
 * Micrometer meters of a reserved block.
 */
@NullMarked
package dev.portreservation.boot.metrics;

import org.jspecify.annotations.NullMarked;
