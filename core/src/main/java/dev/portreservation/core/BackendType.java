package dev.portreservation.core;

import java.util.Locale;

/**
 * The platform backends this library ships.
 */
public enum BackendType {

	/** Holder sockets and {@code ip_local_reserved_ports}. */
	LINUX,

	/** The Windows port pool through WinSock and the IP Helper API. */
	WINDOWS,

	/** In-JVM bookkeeping only; the operating system enforces nothing. */
	PORTABLE;

	/**
	 * @param osName an operating system name as in the {@code os.name} system property
	 * @return the backend for it: Windows, Linux, otherwise portable
	 */
	public static BackendType forOs(String osName) {
		String os = (osName != null) ? osName.toLowerCase(Locale.ROOT) : "";
		if (os.startsWith("windows")) {
			return WINDOWS;
		}
		if (os.startsWith("linux")) {
			return LINUX;
		}
		return PORTABLE;
	}

	/**
	 * @return the backend for the operating system this JVM runs on
	 */
	public static BackendType current() {
		return forOs(System.getProperty("os.name", ""));
	}

	/**
	 * @return the name backends of this type report, such as {@code "linux"}
	 */
	public String backendName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
