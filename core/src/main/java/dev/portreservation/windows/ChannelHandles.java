package dev.portreservation.windows;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.NetworkChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * Reads the native socket handle of a JDK channel: the {@code SOCKET} on Windows, the
 * file descriptor on Linux. The JDK keeps it in {@code sun.nio.ch.SelChImpl#getFDVal()},
 * which is readable when {@code java.base} exports {@code sun.nio.ch} to this code
 * ({@value #ADD_EXPORTS_FLAG}, or {@value #MANIFEST_ENTRY} in an executable jar's
 * manifest). Without the export the {@code fdVal} field is read through
 * {@code sun.misc.Unsafe}, which works without flags on Java 17 (Java 24 and later print
 * a warning on first use). When neither works, the error names the flag to add.
 */
public final class ChannelHandles {

	/** The JVM flag that makes {@code SelChImpl#getFDVal()} readable. */
	public static final String ADD_EXPORTS_FLAG = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

	/** The same export as an entry of the main jar's manifest. */
	public static final String MANIFEST_ENTRY = "Add-Exports: java.base/sun.nio.ch";

	private static final String SEL_CH_IMPL = "sun.nio.ch.SelChImpl";

	private final Reader reader;

	private final String strategy;

	private final String unavailable;

	private ChannelHandles(Reader reader, String strategy, String unavailable) {
		this.reader = reader;
		this.strategy = strategy;
		this.unavailable = unavailable;
	}

	/**
	 * @return the accessor for this JVM: {@code getFDVal} when {@code sun.nio.ch} is
	 * exported to this code, else {@code Unsafe}
	 */
	public static ChannelHandles forThisJvm() {
		boolean exported = Object.class.getModule().isExported("sun.nio.ch", ChannelHandles.class.getModule());
		return select(exported, ChannelHandles::unsafeReader);
	}

	/**
	 * Chooses how to read handles.
	 * @param sunNioChExported whether {@code java.base} exports {@code sun.nio.ch} to
	 * this code
	 * @param unsafe creates the {@code Unsafe} reader, or throws when {@code Unsafe} is
	 * unusable
	 * @return the accessor
	 */
	static ChannelHandles select(boolean sunNioChExported, UnsafeReaderFactory unsafe) {
		if (sunNioChExported) {
			try {
				return new ChannelHandles(exportedReader(), "SelChImpl.getFDVal", null);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Exported but unusable: an unexpected JDK. Try the field.
			}
		}
		try {
			return new ChannelHandles(unsafe.create(), "Unsafe fdVal", null);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return new ChannelHandles(null, "none", String.valueOf(ex));
		}
	}

	/**
	 * @return how handles are read: {@code "SelChImpl.getFDVal"}, {@code "Unsafe fdVal"}
	 * or {@code "none"}
	 */
	public String strategy() {
		return this.strategy;
	}

	/**
	 * @param channel an open JDK socket channel
	 * @return its native handle
	 * @throws PortReservationException {@code UNSUPPORTED} when the handle cannot be
	 * read, with the flag to add
	 */
	public SocketHandle of(NetworkChannel channel) {
		if (this.reader == null) {
			throw PortReservationException.builder(Reason.UNSUPPORTED, cannotRead(channel, this.unavailable))
				.problem(PortReservationException.Problem.JDK_INTERNALS_CLOSED)
				.build();
		}
		try {
			return new SocketHandle(Integer.toUnsignedLong(this.reader.fdVal(channel)));
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

	private static Reader exportedReader() throws ReflectiveOperationException {
		Class<?> selChImpl = Class.forName(SEL_CH_IMPL, false, ChannelHandles.class.getClassLoader());
		Method getFdVal = selChImpl.getMethod("getFDVal");
		return (channel) -> {
			if (!selChImpl.isInstance(channel)) {
				throw new IllegalArgumentException(channel.getClass().getName() + " is not a JDK socket channel");
			}
			return (int) getFdVal.invoke(channel);
		};
	}

	static Reader unsafeReader() throws ReflectiveOperationException {
		Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
		Field theUnsafe = unsafeType.getDeclaredField("theUnsafe");
		theUnsafe.setAccessible(true);
		Object unsafe = theUnsafe.get(null);
		Method objectFieldOffset = unsafeType.getMethod("objectFieldOffset", Field.class);
		Method getInt = unsafeType.getMethod("getInt", Object.class, long.class);
		Map<Class<?>, Long> offsets = new ConcurrentHashMap<>();
		return (channel) -> {
			Long offset = offsets.get(channel.getClass());
			if (offset == null) {
				offset = (Long) objectFieldOffset.invoke(unsafe, fdValField(channel.getClass()));
				offsets.put(channel.getClass(), offset);
			}
			return (int) getInt.invoke(unsafe, channel, offset);
		};
	}

	private static Field fdValField(Class<?> type) throws NoSuchFieldException {
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			try {
				Field field = current.getDeclaredField("fdVal");
				if (field.getType() == int.class) {
					return field;
				}
			}
			catch (NoSuchFieldException ex) {
				// Keep looking in the superclass.
			}
		}
		throw new NoSuchFieldException(type.getName() + " has no int field fdVal");
	}

	@FunctionalInterface
	interface Reader {

		int fdVal(NetworkChannel channel) throws ReflectiveOperationException;

	}

	@FunctionalInterface
	interface UnsafeReaderFactory {

		Reader create() throws ReflectiveOperationException;

	}

}
