package dev.portreservation.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls the backend makes itself: the socket calls for a socket Java cannot
 * open (an IPv6 holder in a JVM started with {@code -Djava.net.preferIPv4Stack=true}),
 * and {@code strerror}, with which {@link LinuxErrors} reads the errno behind a JDK
 * exception. Values are Linux's (the same on every architecture).
 */
interface LinuxLibc extends Library {

	int AF_INET6 = 10;

	int SOCK_STREAM = 1;

	int SOCK_DGRAM = 2;

	int SOCK_CLOEXEC = 0x80000;

	int SOL_SOCKET = 1;

	int SO_REUSEADDR = 2;

	int IPPROTO_IPV6 = 41;

	int IPV6_V6ONLY = 26;

	/** {@code sizeof(struct sockaddr_in6)}. */
	int SOCKADDR_IN6_SIZE = 28;

	int socket(int domain, int type, int protocol) throws LastErrorException;

	int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

	int bind(int fd, byte[] address, int length) throws LastErrorException;

	int close(int fd) throws LastErrorException;

	/**
	 * @param errnum an errno
	 * @return libc's text for it in this process's locale, the text the JDK puts in its
	 * exceptions ({@link LinuxErrors})
	 */
	String strerror(int errnum);

	/**
	 * @return libc, loaded once
	 */
	static LinuxLibc get() {
		return Holder.LIBC;
	}

	/**
	 * Loads libc on first use, so a JVM that never needs it never loads JNA's native
	 * part.
	 */
	final class Holder {

		static final LinuxLibc LIBC = Native.load("c", LinuxLibc.class);

		private Holder() {
		}

	}

}
