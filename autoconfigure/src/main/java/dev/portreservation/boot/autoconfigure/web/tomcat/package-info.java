/**
 * Tomcat connectors bound through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.web.tomcat;

import org.jspecify.annotations.NullMarked;
