package dev.portreservation.windows;

import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WindowsErrorMappingTests} again, with the Windows API simulator preloaded
 * (surefire execution {@code windows-preload-tests}): every documented error code, while
 * the JDK's own binds follow Windows' rules, so that a channel the backend forgot to
 * associate cannot take a port of the block.
 */
class WindowsErrorMappingPreloadTests extends WindowsErrorMappingTests {

	@BeforeEach
	void simulatorPreloaded() {
		WindowsSimulator.assumePreloaded();
	}

}
