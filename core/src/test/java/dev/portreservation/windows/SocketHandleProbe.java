package dev.portreservation.windows;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Run by {@link SocketHandleWidthTests} in a 32-bit JVM: prints the native size of a
 * {@link SocketHandle} and passes one to the C library's {@code write}, so that a handle
 * wider than the platform's {@code UINT_PTR} shifts the arguments after it and the write
 * fails.
 */
public final class SocketHandleProbe {

	static final String MESSAGE = "handle-passed-intact";

	private SocketHandleProbe() {
	}

	public static void main(String[] args) {
		byte[] message = (MESSAGE + "\n").getBytes(StandardCharsets.US_ASCII);
		System.out.println("pointer=" + Native.POINTER_SIZE + ";handle=" + Native.getNativeSize(SocketHandle.class));
		System.out.flush();
		int written = LibC.INSTANCE.write(new SocketHandle(1), message, message.length);
		System.out.println("written=" + written);
	}

	/**
	 * {@code ssize_t write(int fd, const void *buf, size_t count)}, with the descriptor
	 * as a SOCKET.
	 */
	interface LibC extends Library {

		LibC INSTANCE = Native.load("c", LibC.class);

		int write(SocketHandle fd, byte[] buffer, int count);

	}

}
