package dev.portreservation.windows;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code INET_PORT_RANGE} (also {@code INET_PORT_RESERVATION}) from {@code mstcpip.h}:
 * the block asked for by {@code SIO_ACQUIRE_PORT_RESERVATION} and the first member of
 * {@link InetPortReservationInstance}. <pre>
 * offset 0  USHORT StartPort       network byte order; 0 lets the system choose the block
 * offset 2  USHORT NumberOfPorts   host byte order
 * size 4
 * </pre>
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/mstcpip/ns-mstcpip-inet_port_range">INET_PORT_RANGE</a>
 */
@FieldOrder({ "StartPort", "NumberOfPorts" })
public class InetPortRange extends Structure {

	/** First port, in network byte order. */
	public short StartPort;

	/** Number of ports, in host byte order (unsigned). */
	public short NumberOfPorts;

	public InetPortRange() {
		super(ALIGN_MSVC);
	}

	/**
	 * @param startPort the first port in host order, 0 for a wildcard request
	 * @param count the number of ports
	 * @return the structure, written to native memory
	 */
	public static InetPortRange of(int startPort, int count) {
		InetPortRange range = new InetPortRange();
		range.StartPort = NetworkByteOrder.toNetwork(startPort);
		range.NumberOfPorts = (short) count;
		range.write();
		return range;
	}

	/**
	 * @return the first port in host order
	 */
	public int startPort() {
		return NetworkByteOrder.fromNetwork(this.StartPort);
	}

	/**
	 * @return the number of ports
	 */
	public int numberOfPorts() {
		return Short.toUnsignedInt(this.NumberOfPorts);
	}

}
