/**
 * The portable backend: in-JVM bookkeeping with the same contract as the platform
 * backends, not enforced by the operating system.
 */
@NullMarked
package dev.portreservation.portable;

import org.jspecify.annotations.NullMarked;
