package dev.portreservation.windows;

import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WindowsOnSimulatorTests} again, with the Windows API simulator preloaded
 * (surefire execution {@code windows-preload-tests}): the backend contract, while the
 * JDK's own binds follow Windows' rules, so that a channel the backend forgot to
 * associate cannot take a port of the block.
 */
class WindowsOnSimulatorPreloadTests extends WindowsOnSimulatorTests {

	@BeforeEach
	void simulatorPreloaded() {
		WindowsSimulator.assumePreloaded();
	}

}
