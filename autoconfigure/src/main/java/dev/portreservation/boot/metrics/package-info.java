/**
 * Micrometer meters of a reserved block, and the owner labels shared by the meters and
 * the endpoint.
 */
@NullMarked
package dev.portreservation.boot.metrics;

import org.jspecify.annotations.NullMarked;
