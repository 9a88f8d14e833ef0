package dev.portreservation.windows;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code INET_PORT_RESERVATION_INSTANCE} from {@code mstcpip.h}: the output of
 * {@code SIO_ACQUIRE_PORT_RESERVATION}. <pre>
 * offset 0  INET_PORT_RANGE Reservation   StartPort in network byte order
 * offset 4  (4 bytes padding: the token is 8-byte aligned)
 * offset 8  ULONG64 Token                 the INET_PORT_RESERVATION_TOKEN
 * size 16
 * </pre>
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/mstcpip/ns-mstcpip-inet_port_reservation_instance">INET_PORT_RESERVATION_INSTANCE</a>
 */
@FieldOrder({ "Reservation", "Token" })
public class InetPortReservationInstance extends Structure {

	/** The reserved block. */
	public InetPortRange Reservation;

	/** The token that identifies the reservation (unsigned). */
	public long Token;

	public InetPortReservationInstance() {
		super(ALIGN_MSVC);
	}

	/**
	 * @return the offset of {@link #Token} in native memory: 8
	 */
	public int tokenOffset() {
		return fieldOffset("Token");
	}

}
