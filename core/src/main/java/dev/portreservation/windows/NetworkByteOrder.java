package dev.portreservation.windows;

import java.nio.ByteOrder;

/**
 * {@code htons} / {@code ntohs} for the {@code USHORT StartPort} arguments: the value
 * must lie in memory big-endian (high byte first), whatever the host's order.
 */
public final class NetworkByteOrder {

	private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

	private NetworkByteOrder() {
	}

	/**
	 * @param port a port, 0..65535, in host order
	 * @return the {@code USHORT} to store so that memory holds it in network order
	 */
	public static short toNetwork(int port) {
		if (port < 0 || port > 0xFFFF) {
			throw new IllegalArgumentException("A port must be between 0 and 65535, was " + port);
		}
		short value = (short) port;
		return LITTLE_ENDIAN_HOST ? Short.reverseBytes(value) : value;
	}

	/**
	 * @param value a {@code USHORT} read from memory that holds a port in network order
	 * @return the port in host order, 0..65535
	 */
	public static int fromNetwork(short value) {
		return Short.toUnsignedInt(LITTLE_ENDIAN_HOST ? Short.reverseBytes(value) : value);
	}

}
