/**
 * The health indicator of a reserved block.
 */
@NullMarked
package dev.portreservation.boot.health;

import org.jspecify.annotations.NullMarked;
