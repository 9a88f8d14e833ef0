/**
 * Named ports at run time: {@code ${portreservation.ports.<name>}} resolved to a port (or
 * a run of ports) lent from the application's block, when names are lent and where a
 * named port may not be used. The auto-configuration registers them before the
 * configuration is read and decides how their block is reserved.
 */
@NullMarked
package dev.portreservation.boot.namedports;

import org.jspecify.annotations.NullMarked;
