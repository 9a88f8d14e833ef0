/**
 * Spring Boot integration of portreservation that the auto-configuration builds on: the
 * failures the failure analysis reads (a failed setup, a refused property).
 */
@NullMarked
package dev.portreservation.boot;

import org.jspecify.annotations.NullMarked;
