/**
 * A sample web application whose Tomcat and UDP sockets bind from reserved blocks.
 */
@NullMarked
package dev.portreservation.sample;

import org.jspecify.annotations.NullMarked;
