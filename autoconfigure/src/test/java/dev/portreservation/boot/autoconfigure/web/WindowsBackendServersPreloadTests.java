package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.windows.WindowsSimulator;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WindowsBackendServersTests} again, with the Windows API simulator preloaded
 * (surefire execution {@code windows-preload-tests}): real Tomcat, Netty and Jetty apps,
 * while the JDK's own binds follow Windows' rules, so that a channel the backend forgot
 * to associate cannot take a port of the block.
 */
class WindowsBackendServersPreloadTests extends WindowsBackendServersTests {

	@BeforeEach
	void simulatorPreloaded() {
		WindowsSimulator.assumePreloaded();
	}

}
