/**
 * Spring Boot integration of portreservation that the auto-configuration builds on: the
 * failures the failure analysis reads (a failed setup, a refused property) and the owner
 * labels of the leases this starter binds and reports ({@link LeaseOwner}).
 */
@NullMarked
package dev.portreservation.boot;

import org.jspecify.annotations.NullMarked;
