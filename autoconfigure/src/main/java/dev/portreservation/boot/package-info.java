/**
 * Spring Boot integration of portreservation that the auto-configuration builds on: the
 * setup failure the failure analysis reads.
 */
@NullMarked
package dev.portreservation.boot;

import org.jspecify.annotations.NullMarked;
