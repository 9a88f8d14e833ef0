/**
 * The application's block at run time: which block is asked for and which property placed
 * it, reserving it (around {@code server.port} when its neighbours are taken, with a
 * failure that names the property and a free start otherwise), holding it for the
 * context's life and keeping it across a devtools restart. The auto-configuration decides
 * when and through which backend; everything here works without it.
 */
@NullMarked
package dev.portreservation.boot.reservation;

import org.jspecify.annotations.NullMarked;
