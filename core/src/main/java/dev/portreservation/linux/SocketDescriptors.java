package dev.portreservation.linux;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.NetworkChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the file descriptor of a socket channel this library opened itself (a holder),
 * for the one socket option the JDK has no name for. The JDK keeps it in
 * {@code sun.nio.ch.SelChImpl#getFDVal()}, readable when {@code java.base} exports
 * {@code sun.nio.ch} to this code; otherwise the {@code fdVal} field is read through
 * {@code sun.misc.Unsafe}, which works without flags on Java 17 to 25 (24 and later print
 * a warning on first use). When neither works, {@link #of} answers -1 and the caller does
 * without.
 */
final class SocketDescriptors {

	private final Reader reader;

	private final String unavailable;

	private SocketDescriptors(Reader reader, String unavailable) {
		this.reader = reader;
		this.unavailable = unavailable;
	}

	static SocketDescriptors forThisJvm() {
		if (Object.class.getModule().isExported("sun.nio.ch", SocketDescriptors.class.getModule())) {
			try {
				return new SocketDescriptors(exportedReader(), null);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Exported but not as expected: try the field.
			}
		}
		try {
			return new SocketDescriptors(unsafeReader(), null);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return new SocketDescriptors(null, String.valueOf(ex));
		}
	}

	/**
	 * @param channel an open JDK socket channel
	 * @return its file descriptor, or -1 when it cannot be read
	 */
	int of(NetworkChannel channel) {
		if (this.reader == null) {
			return -1;
		}
		try {
			return this.reader.fdVal(channel);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * @return why descriptors cannot be read, or {@code null} when they can
	 */
	String unavailable() {
		return this.unavailable;
	}

	private static Reader exportedReader() throws ReflectiveOperationException {
		Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl", false, SocketDescriptors.class.getClassLoader());
		Method getFdVal = selChImpl.getMethod("getFDVal");
		return (channel) -> selChImpl.isInstance(channel) ? (int) getFdVal.invoke(channel) : -1;
	}

	private static Reader unsafeReader() throws ReflectiveOperationException {
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
			for (Field field : current.getDeclaredFields()) {
				if (field.getName().equals("fdVal") && field.getType() == int.class) {
					return field;
				}
			}
		}
		throw new NoSuchFieldException(type.getName() + " has no int field fdVal");
	}

	@FunctionalInterface
	private interface Reader {

		int fdVal(NetworkChannel channel) throws ReflectiveOperationException;

	}

}
