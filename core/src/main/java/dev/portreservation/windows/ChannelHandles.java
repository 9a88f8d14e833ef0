package dev.portreservation.windows;

import java.lang.reflect.InvocationTargetException;
import java.nio.channels.NetworkChannel;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.internal.ChannelDescriptors;

/**
 * Reads the native socket handle of a JDK channel: the {@code SOCKET} on Windows, the
 * file descriptor on Linux, through the {@link ChannelDescriptors} reader
 * ({@code sun.nio.ch.SelChImpl#getFDVal()} when {@code java.base} exports
 * {@code sun.nio.ch} to this code: {@value #ADD_EXPORTS_FLAG}, or
 * {@value #MANIFEST_ENTRY} in an executable jar's manifest; otherwise the {@code fdVal}
 * field through {@code sun.misc.Unsafe}). When neither works, the error names the flag to
 * add.
 */
public final class ChannelHandles {

	/** The JVM flag that makes {@code SelChImpl#getFDVal()} readable. */
	public static final String ADD_EXPORTS_FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

	/** The same export as an entry of the main jar's manifest. */
	public static final String MANIFEST_ENTRY = "Add-Exports: java.base/sun.nio.ch";

	private final ChannelDescriptors descriptors;

	private ChannelHandles(ChannelDescriptors descriptors) {
		this.descriptors = descriptors;
	}

	/**
	 * @return the accessor for this JVM: {@code getFDVal} when {@code sun.nio.ch} is
	 * exported to this code, else {@code Unsafe}
	 */
	public static ChannelHandles forThisJvm() {
		return new ChannelHandles(ChannelDescriptors.forThisJvm());
	}

	/**
	 * Chooses how to read handles.
	 * @param sunNioChExported whether {@code java.base} exports {@code sun.nio.ch} to
	 * this code
	 * @param unsafe creates the {@code Unsafe} reader, or throws when {@code Unsafe} is
	 * unusable
	 * @return the accessor
	 */
	static ChannelHandles select(boolean sunNioChExported, ChannelDescriptors.UnsafeReaderFactory unsafe) {
		return new ChannelHandles(ChannelDescriptors.select(sunNioChExported, unsafe));
	}

	/**
	 * @return how handles are read: {@code "SelChImpl.getFDVal"}, {@code "Unsafe fdVal"}
	 * or {@code "none"}
	 */
	public String strategy() {
		return this.descriptors.strategy();
	}

	/**
	 * @param channel an open JDK socket channel
	 * @return its native handle
	 * @throws PortReservationException {@code UNSUPPORTED} when the handle cannot be
	 * read, with the flag to add
	 */
	public SocketHandle of(NetworkChannel channel) {
		String unavailable = this.descriptors.unavailable();
		if (unavailable != null) {
			throw PortReservationException.builder(Reason.UNSUPPORTED, cannotRead(channel, unavailable))
				.problem(PortReservationException.Problem.JDK_INTERNALS_CLOSED)
				.build();
		}
		try {
			return new SocketHandle(Integer.toUnsignedLong(this.descriptors.fdVal(channel)));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			Throwable cause = (ex instanceof InvocationTargetException target) ? target.getCause() : ex;
			throw PortReservationException.builder(Reason.UNSUPPORTED, cannotRead(channel, String.valueOf(cause)))
				.problem(PortReservationException.Problem.JDK_INTERNALS_CLOSED)
				.cause(cause)
				.build();
		}
	}

	private static String cannotRead(NetworkChannel channel, String why) {
		return "Cannot read the native socket handle of " + channel.getClass().getName() + " (" + why + "). "
				+ "Add the JVM flag '" + ADD_EXPORTS_FLAG + "', or the entry '" + MANIFEST_ENTRY
				+ "' to the manifest of the executable jar";
	}

}
