package dev.portreservation.windows;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code INET_PORT_RESERVATION_TOKEN} from {@code mstcpip.h}: the input of
 * {@code SIO_RELEASE_PORT_RESERVATION} and {@code SIO_ASSOCIATE_PORT_RESERVATION}. <pre>
 * offset 0  ULONG64 Token   opaque, unsigned
 * size 8
 * </pre>
 *
 * @see <a href=
 * "https://learn.microsoft.com/windows/win32/api/mstcpip/ns-mstcpip-inet_port_reservation_token">INET_PORT_RESERVATION_TOKEN</a>
 */
@FieldOrder({ "Token" })
public class InetPortReservationToken extends Structure {

	/** The token, an unsigned 64-bit value. */
	public long Token;

	public InetPortReservationToken() {
		super(ALIGN_MSVC);
	}

	/**
	 * @param token the token
	 * @return the structure, written to native memory
	 */
	public static InetPortReservationToken of(long token) {
		InetPortReservationToken structure = new InetPortReservationToken();
		structure.Token = token;
		structure.write();
		return structure;
	}

}
