/**
 * The portreservation operations command: list, create, delete, who and check.
 */
@NullMarked
package dev.portreservation.cli;

import org.jspecify.annotations.NullMarked;
