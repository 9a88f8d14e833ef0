package dev.portreservation.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;

/**
 * The Linux backend's one errno classifier and the builders of its failures, as
 * {@code WindowsErrors} is for Windows. An errno is read, never guessed from English
 * text:
 * <ul>
 * <li>where the backend calls libc itself (through JNA) the errno is the call's own
 * ({@code LastErrorException#getErrorCode()}), carried on by {@link ErrnoBindException} /
 * {@link ErrnoException} ({@link #ofCall}); this class itself refers to no JNA type, so
 * it also loads where JNA cannot;</li>
 * <li>{@code java.nio.file} failures are typed: {@link AccessDeniedException} is
 * {@code EACCES}, {@link NoSuchFileException} {@code ENOENT},
 * {@link FileAlreadyExistsException} {@code EEXIST}; any other errno the JDK reports as a
 * plain {@link FileSystemException} whose {@link FileSystemException#getReason() reason}
 * is {@code strerror(errno)};</li>
 * <li>the JDK's socket failures ({@link BindException} for both {@code EACCES} and
 * {@code EADDRINUSE}, {@link SocketException} for the rest) and the plain
 * {@link java.io.IOException} of a failed {@code read}/{@code write} on a file channel
 * carry no errno: the JDK puts {@code strerror(errno)} in the message, and nothing
 * else.</li>
 * </ul>
 * For the last two, and only there, the text the JDK wrote is compared with libc's own
 * {@code strerror(errno)} of each candidate errno, called through JNA in this process:
 * the same C library and the same locale that produced the JDK's text, so the comparison
 * holds in every language and names the errno exactly (an equal string, not a substring).
 * When libc cannot be called the errno stays unknown; the one decision that needs it then
 * ({@link #privilegedPortRefused}) falls back to the facts the kernel decides by.
 */
final class LinuxErrors {

	static final int EPERM = 1;

	static final int ENOENT = 2;

	static final int EACCES = 13;

	static final int EEXIST = 17;

	static final int ENOTDIR = 20;

	static final int EINVAL = 22;

	static final int EROFS = 30;

	static final int ELOOP = 40;

	static final int EAFNOSUPPORT = 97;

	static final int EADDRINUSE = 98;

	static final int EADDRNOTAVAIL = 99;

	/** The errnos a JDK message may stand for, in the order they are tried. */
	private static final int[] CANDIDATES = { EACCES, EADDRINUSE, EADDRNOTAVAIL, EPERM, EROFS, ENOENT, EEXIST, ENOTDIR,
			ELOOP, EINVAL, EAFNOSUPPORT };

	/** libc's text of each candidate, read once (the locale of a process is set once). */
	private static final Map<Integer, String> TEXTS = new ConcurrentHashMap<>();

	private LinuxErrors() {
	}

	/**
	 * The errno behind a failure, where it can be known for sure.
	 * @param failure a failure of a system call made by the backend or by the JDK
	 * @return the errno, or empty when the failure does not carry one
	 */
	static OptionalInt errno(Throwable failure) {
		if (failure instanceof ErrnoCarrier carrier) {
			return OptionalInt.of(carrier.errno());
		}
		if (failure instanceof AccessDeniedException) {
			return OptionalInt.of(EACCES);
		}
		if (failure instanceof NoSuchFileException) {
			return OptionalInt.of(ENOENT);
		}
		if (failure instanceof FileAlreadyExistsException) {
			return OptionalInt.of(EEXIST);
		}
		if (failure instanceof NotDirectoryException) {
			return OptionalInt.of(ENOTDIR);
		}
		if (failure instanceof NotLinkException) {
			return OptionalInt.of(EINVAL);
		}
		if (failure instanceof FileSystemException fileSystem) {
			return fromStrerror(fileSystem.getReason());
		}
		if (failure instanceof SocketException || failure.getClass() == IOException.class) {
			return fromStrerror(failure.getMessage());
		}
		return OptionalInt.empty();
	}

	/**
	 * @param failure a failure
	 * @param errno an errno
	 * @return whether the failure is known to carry exactly that errno
	 */
	static boolean is(Throwable failure, int errno) {
		OptionalInt known = errno(failure);
		return known.isPresent() && known.getAsInt() == errno;
	}

	/**
	 * Whether a refused bind of a port was refused because the port is privileged
	 * ({@code EACCES}). When the errno is unknown (libc cannot be called to read the
	 * JDK's text) the kernel's own rule decides: the port is below
	 * {@code net.ipv4.ip_unprivileged_port_start} and the process lacks
	 * {@code CAP_NET_BIND_SERVICE}.
	 * @param failure the refusal
	 * @param port the port
	 * @return whether it is {@code EACCES}
	 */
	static boolean privilegedPortRefused(Throwable failure, int port) {
		OptionalInt known = errno(failure);
		if (known.isPresent()) {
			return known.getAsInt() == EACCES;
		}
		return (failure instanceof BindException) && port < unprivilegedPortStart() && !canBindPrivilegedPorts();
	}

	private static int unprivilegedPortStart() {
		try {
			return Integer.parseInt(ProcFile.read(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip());
		}
		catch (IOException | RuntimeException ex) {
			// The kernel's default.
			return 1024;
		}
	}

	/** {@code CAP_NET_BIND_SERVICE} (bit 10) in the effective set of this process. */
	private static boolean canBindPrivilegedPorts() {
		try {
			for (String line : ProcFile.read(Path.of("/proc/self/status")).split("\n")) {
				if (line.startsWith("CapEff:")) {
					return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 10)) != 0;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Unknown: as if it had it, so that no refusal is called privileged on a
			// guess.
		}
		return true;
	}

	/**
	 * The one place that reads a JDK exception's text: equal to libc's
	 * {@code strerror(errno)} of a candidate, in this process's locale.
	 */
	private static OptionalInt fromStrerror(String text) {
		if (text == null) {
			return OptionalInt.empty();
		}
		for (int candidate : CANDIDATES) {
			String known = strerror(candidate);
			if (known != null && known.equals(text)) {
				return OptionalInt.of(candidate);
			}
		}
		return OptionalInt.empty();
	}

	/**
	 * @param errno an errno
	 * @return libc's text for it, or {@code null} when libc cannot be called
	 */
	static String strerror(int errno) {
		String known = TEXTS.get(errno);
		if (known != null) {
			return known;
		}
		try {
			known = LinuxLibc.get().strerror(errno);
		}
		catch (LinkageError | RuntimeException ex) {
			// No JNA: the errno stays unknown, never guessed.
			return null;
		}
		if (known != null) {
			TEXTS.put(errno, known);
		}
		return known;
	}

	/**
	 * @param errno an errno
	 * @return its symbolic name, for messages
	 */
	static String name(int errno) {
		return switch (errno) {
			case EPERM -> "EPERM";
			case ENOENT -> "ENOENT";
			case EACCES -> "EACCES";
			case EEXIST -> "EEXIST";
			case ENOTDIR -> "ENOTDIR";
			case EINVAL -> "EINVAL";
			case EROFS -> "EROFS";
			case ELOOP -> "ELOOP";
			case EAFNOSUPPORT -> "EAFNOSUPPORT";
			case EADDRINUSE -> "EADDRINUSE";
			case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
			default -> "errno " + errno;
		};
	}

	/**
	 * A failed libc call of the backend's own as the exception callers catch: a
	 * {@link BindException} for the two errnos the JDK reports that way ({@code EACCES},
	 * {@code EADDRINUSE}), else an {@link ErrnoException}; the errno travels with it.
	 * @param call what was called, e.g. {@code "bind([::]:8080)"}
	 * @param errno the call's errno
	 * @param cause JNA's exception
	 * @return the exception to throw
	 */
	static IOException ofCall(String call, int errno, Throwable cause) {
		String message = call + " failed: " + name(errno) + " (" + String.valueOf(strerror(errno)) + ")";
		if (errno == EACCES || errno == EADDRINUSE) {
			ErrnoBindException bind = new ErrnoBindException(message, errno);
			bind.initCause(cause);
			return bind;
		}
		return new ErrnoException(message, errno, cause);
	}

	/**
	 * A failure of a file in the backend's state (the sysctl, a state or runtime
	 * directory, a record): {@code ACCESS_DENIED} / {@code NEEDS_PRIVILEGE} when the
	 * errno says the process lacks a right ({@code EACCES}, {@code EPERM},
	 * {@code EROFS}), else {@code SYSTEM_ERROR}; a {@link PortReservationException}
	 * passes through unchanged.
	 * @param operation what was attempted, or {@code null} when it is not known here
	 * @param protocol the protocol, or {@code null}
	 * @param block the block, or {@code null}
	 * @param path the file concerned, or {@code null} for the failure's own
	 * @param what what failed, for people
	 * @param failure the failure
	 * @return the exception to throw
	 */
	static PortReservationException stateFile(Operation operation, Protocol protocol, PortBlock block, Path path,
			String what, Exception failure) {
		if (failure instanceof PortReservationException known) {
			return known;
		}
		Path concerned = (path != null) ? path
				: (failure instanceof FileSystemException fileSystem && fileSystem.getFile() != null)
						? Path.of(fileSystem.getFile()) : null;
		OptionalInt errno = errno(failure);
		if (errno.isPresent() && deniesAccess(errno.getAsInt())) {
			// A FileSystemException's message repeats its path, which 'what' names
			// already: only the reason.
			String detail = (failure instanceof FileSystemException fileSystem)
					? ((fileSystem.getReason() != null) ? fileSystem.getReason() : "permission denied")
					: failure.getMessage();
			return PortReservationException
				.builder(Reason.ACCESS_DENIED,
						what + ": " + detail + ". A persistent block needs "
								+ "CAP_NET_ADMIN in this network namespace (run as root or grant the capability) and a "
								+ "writable state directory; a runtime block needs neither")
				.block(block)
				.protocol(protocol)
				.operation(operation)
				.nativeCode((long) errno.getAsInt())
				.problem(Problem.NEEDS_PRIVILEGE)
				.path(concerned)
				.backend(LinuxPortReservations.NAME)
				.cause(failure)
				.build();
		}
		return PortReservationException.builder(Reason.SYSTEM_ERROR, what + ": " + failure)
			.block(block)
			.protocol(protocol)
			.operation(operation)
			.nativeCode(errno.isPresent() ? (Long) (long) errno.getAsInt() : null)
			.path(concerned)
			.backend(LinuxPortReservations.NAME)
			.cause(failure)
			.build();
	}

	private static boolean deniesAccess(int errno) {
		return errno == EACCES || errno == EPERM || errno == EROFS;
	}

	/**
	 * @param errno an errno
	 * @return the builder's native code: the errno as a {@code Long}
	 */
	static Long code(int errno) {
		return (long) errno;
	}

	/**
	 * An exception that knows the errno of the call that failed.
	 */
	interface ErrnoCarrier {

		/**
		 * @return the errno
		 */
		int errno();

	}

	/**
	 * A bind refused by the kernel ({@code EACCES}, {@code EADDRINUSE}) in a call the
	 * backend made itself, with its errno.
	 */
	static final class ErrnoBindException extends BindException implements ErrnoCarrier {

		private final int errno;

		ErrnoBindException(String message, int errno) {
			super(message);
			this.errno = errno;
		}

		@Override
		public int errno() {
			return this.errno;
		}

	}

	/**
	 * Any other failed call of the backend's own, with its errno.
	 */
	static final class ErrnoException extends IOException implements ErrnoCarrier {

		private final int errno;

		ErrnoException(String message, int errno, Throwable cause) {
			super(message, cause);
			this.errno = errno;
		}

		@Override
		public int errno() {
			return this.errno;
		}

	}

}
