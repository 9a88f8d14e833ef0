package dev.portreservation.windows;

import com.sun.jna.Structure;
import com.sun.jna.win32.StdCallLibrary;

/**
 * {@code RtlGetVersion} of {@code ntdll.dll}: the version and build of the running
 * system. The JVM's {@code os.version} says {@code 10.0} for every Windows 10 and 11
 * without the build, and {@code GetVersionEx} reports no more than the version the
 * program's manifest declares. {@code NTAPI} is {@code __stdcall} on 32-bit Windows,
 * hence a {@link StdCallLibrary}.
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-rtlgetversion">RtlGetVersion</a>
 */
public interface NtDll extends StdCallLibrary {

	/** The library name on Windows. */
	String LIBRARY = "ntdll";

	/** {@code STATUS_SUCCESS}. */
	int STATUS_SUCCESS = 0;

	/**
	 * Fills {@code info}, whose {@code dwOSVersionInfoSize} must be set first.
	 * @param info the structure to fill
	 * @return an {@code NTSTATUS}, {@link #STATUS_SUCCESS} on success
	 */
	int RtlGetVersion(OsVersionInfoExW info);

	/**
	 * {@code OSVERSIONINFOEXW} (winnt.h): five {@code DWORD}s, 128 {@code WCHAR}s, three
	 * {@code WORD}s and two {@code BYTE}s, 284 bytes. The {@code WCHAR}s are declared as
	 * {@code short}s because JNA's {@code char} is the platform's {@code wchar_t}, which
	 * is 4 bytes off Windows (the simulator).
	 */
	@Structure.FieldOrder({ "dwOSVersionInfoSize", "dwMajorVersion", "dwMinorVersion", "dwBuildNumber", "dwPlatformId",
			"szCSDVersion", "wServicePackMajor", "wServicePackMinor", "wSuiteMask", "wProductType", "wReserved" })
	class OsVersionInfoExW extends Structure {

		/** The size Windows expects in {@code dwOSVersionInfoSize}. */
		public static final int SIZE = 284;

		public int dwOSVersionInfoSize;

		public int dwMajorVersion;

		public int dwMinorVersion;

		public int dwBuildNumber;

		public int dwPlatformId;

		public short[] szCSDVersion = new short[128];

		public short wServicePackMajor;

		public short wServicePackMinor;

		public short wSuiteMask;

		public byte wProductType;

		public byte wReserved;

		public OsVersionInfoExW() {
			this.dwOSVersionInfoSize = size();
		}

	}

}
