package dev.portreservation.windows;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/**
 * A WinSock {@code SOCKET}: an unsigned pointer-sized integer ({@code UINT_PTR}). On the
 * Linux simulator it carries the file descriptor, so the same interface serves both.
 */
public final class SocketHandle extends IntegerType {

	private static final long serialVersionUID = 1L;

	/** Needed by JNA. */
	public SocketHandle() {
		this(0);
	}

	/**
	 * @param value the handle value
	 */
	public SocketHandle(long value) {
		super(Native.POINTER_SIZE, value, true);
	}

}
