package dev.portreservation.windows;

import com.sun.jna.AltCallingConvention;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.win32.StdCallLibrary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code WSAAPI} and {@code WINAPI} are {@code __stdcall} on 32-bit Windows, which only
 * the 32-bit job of the Windows workflow can call for real; here the declarations that
 * make JNA use it are checked at the source: both interfaces are {@link StdCallLibrary}s
 * and nothing overrides their convention on Windows.
 */
class WindowsCallingConventionTests {

	@Test
	void winSockAndIpHelperAreDeclaredStdcall() {
		assertThat(StdCallLibrary.class).isAssignableFrom(WinSock.class).isAssignableFrom(IpHelper.class);
		assertThat(AltCallingConvention.class).isAssignableFrom(WinSock.class).isAssignableFrom(IpHelper.class);
	}

	@Test
	void onWindowsTheDeclaredConventionIsKeptAndElsewhereTheSimulatorIsCalledAsPlainC() {
		assertThat(WindowsPortReservations.loadOptions(true)).doesNotContainKey(Library.OPTION_CALLING_CONVENTION)
			.isEmpty();
		assertThat(WindowsPortReservations.loadOptions(false)).containsEntry(Library.OPTION_CALLING_CONVENTION,
				Function.C_CONVENTION);
	}

}
