/**
 * Tomcat's NIO protocol and endpoint bound through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.web.tomcat;

import org.jspecify.annotations.NullMarked;
