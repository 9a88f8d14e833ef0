package dev.portreservation.core.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.NetworkChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Reads the native descriptor of a JDK socket channel (the file descriptor on Linux, the
 * {@code SOCKET} on Windows), for the calls the backends make that the JDK has no API
 * for. The one reader of both backends: the Linux backend does without the descriptor
 * when it cannot be read, the Windows backend fails naming the flag to add.
 * <p>
 * The JDK keeps the descriptor in {@code sun.nio.ch.SelChImpl#getFDVal()}, readable when
 * {@code java.base} exports {@code sun.nio.ch} to this code (the JVM flag
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, or
 * {@code Add-Exports: java.base/sun.nio.ch} in an executable jar's manifest). Without the
 * export the {@code fdVal} field is read through {@code sun.misc.Unsafe}, which works
 * without flags on Java 17 to 25 (24 and later print a warning on first use); no
 * {@code --add-opens} is needed, as {@code Unsafe} reads the field without making it
 * accessible. The auto-configuration's runtime hints keep these JDK members in a native
 * image.
 */
public final class ChannelDescriptors {

	/** The strategy when {@code sun.nio.ch} is exported to this code. */
	public static final String GET_FD_VAL = "SelChImpl.getFDVal";

	/** The strategy without the export. */
	public static final String UNSAFE_FD_VAL = "Unsafe fdVal";

	/** No strategy works: {@link #unavailable()} says why. */
	public static final String NONE = "none";

	private final @Nullable Reader reader;

	private final String strategy;

	private final @Nullable String unavailable;

	private ChannelDescriptors(@Nullable Reader reader, String strategy, @Nullable String unavailable) {
		this.reader = reader;
		this.strategy = strategy;
		this.unavailable = unavailable;
	}

	/**
	 * @return the reader for this JVM: {@code getFDVal} when {@code sun.nio.ch} is
	 * exported to this code, else {@code Unsafe}
	 */
	public static ChannelDescriptors forThisJvm() {
		boolean exported = Object.class.getModule().isExported("sun.nio.ch", ChannelDescriptors.class.getModule());
		return select(exported, ChannelDescriptors::unsafeReader);
	}

	/**
	 * Chooses how to read descriptors.
	 * @param sunNioChExported whether {@code java.base} exports {@code sun.nio.ch} to
	 * this code
	 * @param unsafe creates the {@code Unsafe} reader, or throws when {@code Unsafe} is
	 * unusable
	 * @return the reader
	 */
	public static ChannelDescriptors select(boolean sunNioChExported, UnsafeReaderFactory unsafe) {
		if (sunNioChExported) {
			try {
				return new ChannelDescriptors(exportedReader(), GET_FD_VAL, null);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Exported but unusable: an unexpected JDK. Try the field.
			}
		}
		try {
			return new ChannelDescriptors(unsafe.create(), UNSAFE_FD_VAL, null);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return new ChannelDescriptors(null, NONE, String.valueOf(ex));
		}
	}

	/**
	 * @return how descriptors are read: {@value #GET_FD_VAL}, {@value #UNSAFE_FD_VAL} or
	 * {@value #NONE}
	 */
	public String strategy() {
		return this.strategy;
	}

	/**
	 * @return why descriptors cannot be read, or {@code null} when they can
	 */
	public @Nullable String unavailable() {
		return this.unavailable;
	}

	/**
	 * @param channel an open JDK socket channel
	 * @return its native descriptor
	 * @throws ReflectiveOperationException when the JDK refuses the read
	 * @throws IllegalArgumentException when the channel is not a JDK socket channel
	 * @throws IllegalStateException when descriptors cannot be read in this JVM (see
	 * {@link #unavailable()})
	 */
	public int fdVal(NetworkChannel channel) throws ReflectiveOperationException {
		if (this.reader == null) {
			throw new IllegalStateException(this.unavailable);
		}
		return this.reader.fdVal(channel);
	}

	private static Reader exportedReader() throws ReflectiveOperationException {
		Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl", false, ChannelDescriptors.class.getClassLoader());
		Method getFdVal = selChImpl.getMethod("getFDVal");
		return (channel) -> {
			if (!selChImpl.isInstance(channel)) {
				throw new IllegalArgumentException(channel.getClass().getName() + " is not a JDK socket channel");
			}
			return (int) getFdVal.invoke(channel);
		};
	}

	/**
	 * @return a reader of the {@code fdVal} field through {@code sun.misc.Unsafe}
	 * @throws ReflectiveOperationException when {@code Unsafe} is not there as expected
	 */
	public static Reader unsafeReader() throws ReflectiveOperationException {
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

	/**
	 * Reads the descriptor of a channel.
	 */
	@FunctionalInterface
	public interface Reader {

		/**
		 * @param channel an open JDK socket channel
		 * @return its descriptor
		 * @throws ReflectiveOperationException when the JDK refuses the read
		 */
		int fdVal(NetworkChannel channel) throws ReflectiveOperationException;

	}

	/**
	 * Creates the {@code Unsafe} reader (a seam for the tests of the choice).
	 */
	@FunctionalInterface
	public interface UnsafeReaderFactory {

		/**
		 * @return the reader
		 * @throws ReflectiveOperationException when {@code Unsafe} is unusable
		 */
		Reader create() throws ReflectiveOperationException;

	}

}
