/**
 * Tomcat connectors bound through the reserved block.
 */
@NullMarked
package dev.portreservation.autoconfigure.web.tomcat;

import org.jspecify.annotations.NullMarked;
