package dev.portreservation.windows;

import java.util.Locale;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * The Windows build this backend runs on, and the gate it must pass: port reservations
 * are used from build 17763 (Windows 10 1809, Windows Server 2019) on, as Microsoft's own
 * msquic does: its Windows datapath enables them only from that build, the first it deems
 * safe for them (read through {@code RtlGetVersion}, as here).
 *
 * @param major the major version ({@code dwMajorVersion})
 * @param minor the minor version ({@code dwMinorVersion})
 * @param build the build number ({@code dwBuildNumber})
 */
public record WindowsBuild(int major, int minor, int build) {

	/**
	 * The first build on which the backend runs: Windows 10 1809 / Windows Server 2019.
	 */
	public static final int FIRST_SUPPORTED_BUILD = 17763;

	/**
	 * Asks the system through {@code RtlGetVersion}.
	 * @param ntDll the library exporting it
	 * @return the running build
	 * @throws PortReservationException {@code UNSUPPORTED} when the version cannot be
	 * read
	 */
	public static WindowsBuild of(NtDll ntDll) {
		NtDll.OsVersionInfoExW info = new NtDll.OsVersionInfoExW();
		int status;
		try {
			status = ntDll.RtlGetVersion(info);
		}
		catch (UnsatisfiedLinkError ex) {
			throw unsupported("RtlGetVersion is not available, so the Windows build cannot be checked ("
					+ ex.getMessage() + "); use the portable backend to run without the Windows backend", ex);
		}
		if (status != NtDll.STATUS_SUCCESS) {
			throw unsupported("RtlGetVersion failed with NTSTATUS 0x"
					+ Integer.toHexString(status).toUpperCase(Locale.ROOT)
					+ ", so the Windows build cannot be checked; use the portable backend to run without the Windows "
					+ "backend", null);
		}
		return new WindowsBuild(info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber);
	}

	/**
	 * @return whether port reservations can be used safely on this build
	 */
	public boolean supported() {
		return this.major >= 10 && Integer.toUnsignedLong(this.build) >= FIRST_SUPPORTED_BUILD;
	}

	/**
	 * @return this build, when {@link #supported()}
	 * @throws PortReservationException {@code UNSUPPORTED} naming the build and the
	 * fallback, below build 17763
	 */
	public WindowsBuild requireSupported() {
		if (!supported()) {
			throw unsupported("Windows " + this + " is older than build " + FIRST_SUPPORTED_BUILD
					+ " (Windows 10 1809 / Windows Server 2019), the first on which port reservations are used: "
					+ "Microsoft's own msquic uses them only from that build on, as the first on which they are safe. "
					+ "Update Windows, or use the portable backend, which keeps the reservation inside this JVM "
					+ "(the operating system then enforces nothing)", null);
		}
		return this;
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + " build " + Integer.toUnsignedString(this.build);
	}

	private static PortReservationException unsupported(String message, Throwable cause) {
		return PortReservationException.builder(Reason.UNSUPPORTED, message)
			.problem(Problem.BACKEND_UNAVAILABLE)
			.operation(Operation.OPEN_BACKEND)
			.backend(WindowsPortReservations.NAME)
			.cause(cause)
			.build();
	}

}
