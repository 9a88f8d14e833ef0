package dev.portreservation.boot.autoconfigure.web;

import dev.portreservation.windows.WindowsSimulator;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WindowsExcludedRangeServerPortTests} again with the Windows API simulator
 * preloaded (surefire execution {@code windows-preload-tests}): the JDK's own binds
 * follow Windows' rules, so a bind into a range the system holds is refused
 * ({@code WSAEACCES}), and into an administered one as the reading each case sets says.
 */
class WindowsExcludedRangeServerPortPreloadTests extends WindowsExcludedRangeServerPortTests {

	@BeforeEach
	void simulatorPreloaded() {
		WindowsSimulator.assumePreloaded();
	}

}
