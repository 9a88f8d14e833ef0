/**
 * What Windows' excluded port ranges mean for a reserved block, for health and the
 * endpoint.
 */
@NullMarked
package dev.portreservation.boot.windows;

import org.jspecify.annotations.NullMarked;
