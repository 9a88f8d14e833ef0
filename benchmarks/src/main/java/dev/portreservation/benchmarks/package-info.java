/**
 * JMH benchmarks of binds through a reserved block, each against a baseline measured in
 * the same run.
 */
@NullMarked
package dev.portreservation.benchmarks;

import org.jspecify.annotations.NullMarked;
