package dev.portreservation.linux;

import java.nio.channels.NetworkChannel;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import dev.portreservation.core.internal.ChannelDescriptors;

/**
 * {@link DatagramSteering} through the kernel: a one-instruction classic BPF program
 * attached to the holder's {@code SO_REUSEPORT} group ({@code SO_ATTACH_REUSEPORT_CBPF},
 * Linux 4.5 and later, no privilege needed) that answers "member 1" for every datagram.
 * The holder is member 0, since the group was created for it when the first channel
 * joined, and a channel joins next; when the channel leaves, the index is out of range
 * and the kernel falls back to its own choice, the holder alone. A socket of the same
 * user that joins the group itself with {@code SO_REUSEPORT} (the documented caveat of
 * holder sockets) can take member 1's place.
 */
final class ReusePortProgram implements DatagramSteering {

	private static final int SOL_SOCKET = 1;

	private static final int SO_ATTACH_REUSEPORT_CBPF = 51;

	private static final int EINVAL = 22;

	/** {@code BPF_RET | BPF_K}: return the constant. */
	private static final short BPF_RET_K = 0x06;

	private static final int CHANNEL_MEMBER = 1;

	private static final class Shared {

		static final DatagramSteering INSTANCE = create();

	}

	private final LibC libc;

	private final ChannelDescriptors descriptors;

	/**
	 * {@code struct sock_fprog}, pointing at {@link #filter}; the kernel copies both at
	 * each attach.
	 */
	private final Memory program;

	/**
	 * {@code struct sock_filter[1]}, kept reachable as long as {@link #program} points at
	 * it.
	 */
	private final Memory filter;

	private ReusePortProgram(LibC libc, ChannelDescriptors descriptors) {
		this.libc = libc;
		this.descriptors = descriptors;
		this.filter = new Memory(8);
		this.filter.setShort(0, BPF_RET_K);
		this.filter.setByte(2, (byte) 0);
		this.filter.setByte(3, (byte) 0);
		this.filter.setInt(4, CHANNEL_MEMBER);
		this.program = new Memory(2L * Native.POINTER_SIZE);
		this.program.clear();
		this.program.setShort(0, (short) 1);
		this.program.setPointer(Native.POINTER_SIZE, this.filter);
	}

	static DatagramSteering instance() {
		return Shared.INSTANCE;
	}

	private static DatagramSteering create() {
		ChannelDescriptors descriptors = ChannelDescriptors.forThisJvm();
		if (descriptors.unavailable() != null) {
			return DatagramSteering.unavailable("socket file descriptors cannot be read: " + descriptors.unavailable());
		}
		try {
			return new ReusePortProgram(Native.load(Platform.C_LIBRARY_NAME, LibC.class), descriptors);
		}
		catch (LinkageError | RuntimeException ex) {
			return DatagramSteering.unavailable("the C library cannot be called through JNA: " + ex);
		}
	}

	@Override
	public Outcome steerAwayFrom(NetworkChannel holder) {
		int fd;
		try {
			fd = this.descriptors.fdVal(holder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Not a JDK socket channel, or the JDK refused the read: do without.
			return Outcome.UNAVAILABLE;
		}
		if (this.libc.setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, this.program,
				(int) this.program.size()) == 0) {
			return Outcome.STEERED;
		}
		// EINVAL on a socket that was bound with SO_REUSEPORT set afterwards: it has no
		// group, nobody joined it.
		return (Native.getLastError() == EINVAL) ? Outcome.NOT_SHARED : Outcome.UNAVAILABLE;
	}

	@Override
	public String unavailable() {
		return null;
	}

	interface LibC extends Library {

		int setsockopt(int fd, int level, int name, Pointer value, int length);

	}

}
