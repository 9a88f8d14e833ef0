/**
 * Test support for portreservation: {@code @ReservedPorts} ({@link ReservedPorts}) gives
 * a JUnit 5 test class its own block, held from before its first test to after its last,
 * and {@code @ReservedPort("name")} ({@link ReservedPort}) injects ports of it by name;
 * with {@code @SpringBootTest} the context binds its servers through the class's block
 * and {@code ${portreservation.ports.<name>}} resolves to the same ports. Also the
 * backend contract suite {@code PortReservationsContract} a backend's tests extend, and
 * {@code @GuardTimeout}, the time limit of its tests, which scales with
 * {@code -Dportreservation.test.timeout-factor}.
 */
@NullMarked
package dev.portreservation.test;

import org.jspecify.annotations.NullMarked;
