/**
 * Test support for portreservation backends: the contract suite a backend's tests extend.
 */
@NullMarked
package dev.portreservation.test;

import org.jspecify.annotations.NullMarked;
