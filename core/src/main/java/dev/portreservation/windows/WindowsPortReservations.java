package dev.portreservation.windows;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.portreservation.core.Enforcement;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.PortHolders;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Operation;
import dev.portreservation.core.PortReservationException.Problem;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.ReservationKind;
import dev.portreservation.core.internal.Closeables;
import org.jspecify.annotations.Nullable;

/**
 * Port reservations by the Windows port pool.
 * <ul>
 * <li>Runtime: {@code SIO_ACQUIRE_PORT_RESERVATION} on an anchor socket of the block's
 * protocol, kept open for the reservation's lifetime (the OS ends the reservation with
 * that socket) and released with {@code SIO_RELEASE_PORT_RESERVATION} on close.</li>
 * <li>Persistent: {@code Create/Lookup/DeletePersistent{Tcp,Udp}PortReservation}; the
 * token is looked up on every open, never stored, because it may change across
 * reboots.</li>
 * <li>Binding: {@code SIO_ASSOCIATE_PORT_RESERVATION} with the token, then {@code bind}
 * to port 0 (the OS picks a free port of the block) or to the port asked for.</li>
 * </ul>
 * Creating, deleting and associating persistent blocks needs an elevated administrator.
 * <p>
 * Why one class of this size: it is the one place the backend calls Windows (the WinSock
 * control codes and the IP Helper persistent calls), each call with its error mapping and
 * the build gate in front; the mappings themselves live in {@code WindowsErrors}, the
 * excluded-range advice in {@code ExcludedRangeDoctor}, a reservation in
 * {@code WindowsPortReservation}.
 */
public final class WindowsPortReservations implements PortReservations {

	static final String NAME = "windows";

	/** How many blocks Windows may choose before one clear of every excluded range. */
	static final int WILDCARD_ATTEMPTS = 8;

	private final WinSock winSock;

	private final IpHelper ipHelper;

	private final ChannelHandles handles;

	private final PortHolders holders;

	private final ExcludedRangeDoctor doctor;

	/**
	 * The backend on Windows: {@code ws2_32.dll} and {@code iphlpapi.dll}.
	 */
	public WindowsPortReservations() {
		this(WinSock.LIBRARY, IpHelper.LIBRARY, NtDll.LIBRARY);
	}

	/**
	 * The backend on the given libraries: names or paths of libraries that export the
	 * WinSock and IP Helper functions (used with the simulator on Linux). The Windows
	 * build is read through {@code RtlGetVersion} of {@code ntdll} on Windows, elsewhere
	 * of the WinSock library (the simulator exports it).
	 * @param winSockLibrary the library exporting {@code WSAIoctl} and
	 * {@code WSAGetLastError}
	 * @param ipHelperLibrary the library exporting the persistent reservation functions
	 */
	public WindowsPortReservations(String winSockLibrary, String ipHelperLibrary) {
		this(winSockLibrary, ipHelperLibrary, Platform.isWindows() ? NtDll.LIBRARY : winSockLibrary);
	}

	/**
	 * The backend on the given libraries, once the Windows build passed the gate
	 * ({@link WindowsBuild#requireSupported()}).
	 * @param winSockLibrary the library exporting {@code WSAIoctl} and
	 * {@code WSAGetLastError}
	 * @param ipHelperLibrary the library exporting the persistent reservation functions
	 * @param ntDllLibrary the library exporting {@code RtlGetVersion}
	 * @throws PortReservationException {@code UNSUPPORTED} below build 17763, naming the
	 * build and the fallback
	 */
	public WindowsPortReservations(String winSockLibrary, String ipHelperLibrary, String ntDllLibrary) {
		this(gated(ntDllLibrary, winSockLibrary), load(ipHelperLibrary, IpHelper.class), ChannelHandles.forThisJvm(),
				new WindowsPortHolders(ipHelperLibrary));
	}

	private static WinSock gated(String ntDllLibrary, String winSockLibrary) {
		WindowsBuild.of(load(ntDllLibrary, NtDll.class)).requireSupported();
		return load(winSockLibrary, WinSock.class);
	}

	/**
	 * The backend on loaded interfaces.
	 * @param winSock WinSock
	 * @param ipHelper the IP Helper API
	 * @param handles how to read a channel's native handle
	 */
	public WindowsPortReservations(WinSock winSock, IpHelper ipHelper, ChannelHandles handles) {
		this(winSock, ipHelper, handles, PortHolders.none());
	}

	/**
	 * The backend on loaded interfaces, naming the holders of ports in its failures.
	 * @param winSock WinSock
	 * @param ipHelper the IP Helper API
	 * @param handles how to read a channel's native handle
	 * @param holders who holds ports ({@link WindowsPortHolders})
	 */
	public WindowsPortReservations(WinSock winSock, IpHelper ipHelper, ChannelHandles handles, PortHolders holders) {
		this(winSock, ipHelper, handles, holders, CachedExcludedPortRanges.forThisSystem());
	}

	/**
	 * The backend on loaded interfaces, naming the holders of ports and the excluded port
	 * ranges in its failures.
	 * @param winSock WinSock
	 * @param ipHelper the IP Helper API
	 * @param handles how to read a channel's native handle
	 * @param holders who holds ports ({@link WindowsPortHolders})
	 * @param excluded the excluded port ranges ({@link NetshExcludedPortRanges}; by
	 * default {@link CachedExcludedPortRanges#forThisSystem()}, so that the single-port
	 * probes of a block moved around {@code server.port} do not run netsh each)
	 */
	public WindowsPortReservations(WinSock winSock, IpHelper ipHelper, ChannelHandles handles, PortHolders holders,
			ExcludedPortRanges.Source excluded) {
		this.winSock = winSock;
		this.ipHelper = ipHelper;
		this.handles = handles;
		this.holders = holders;
		this.doctor = new ExcludedRangeDoctor(excluded, holders);
	}

	/**
	 * @param protocol TCP or UDP
	 * @param block a block
	 * @return the ranges Windows excludes (IPv4 and IPv6) that hold a port of the block
	 */
	public List<ExcludedPortRange> excludedRangesOverlapping(Protocol protocol, PortBlock block) {
		return ExcludedPortRanges.overlapping(this.doctor.ranges(protocol), block);
	}

	@Override
	public PortReservation acquireRuntime(Protocol protocol, PortBlock block) {
		return acquire(protocol, block.startPort(), block.count(), block);
	}

	/**
	 * A block Windows chooses, clear of the excluded port ranges: a block that overlaps
	 * one (of IPv4 or IPv6) is kept while Windows is asked again, so that it is not
	 * offered twice, and given back once a clear one is found.
	 */
	@Override
	public PortReservation acquireRuntime(Protocol protocol, int count) {
		if (count < 1 || count > PortBlock.MAX_PORT) {
			throw failure(Reason.INVALID,
					"A wildcard block needs 1 to " + PortBlock.MAX_PORT + " ports, asked for " + count,
					Operation.ACQUIRE_RUNTIME, null, protocol)
				.build();
		}
		List<PortReservation> overlapping = new ArrayList<>();
		try {
			for (int attempt = 0; attempt < WILDCARD_ATTEMPTS; attempt++) {
				PortReservation chosen = acquire(protocol, 0, count, null);
				List<ExcludedPortRange> excluded = excludedRangesOverlapping(protocol, chosen.block());
				if (excluded.isEmpty()) {
					return chosen;
				}
				overlapping.add(chosen);
			}
			throw failure(Reason.EXHAUSTED, "Windows chose " + WILDCARD_ATTEMPTS + " blocks of " + count + " "
					+ protocol + " ports that each overlap an excluded port range ("
					+ overlapping.stream().map((r) -> r.block().toString()).collect(Collectors.joining(", "))
					+ "); ask for fewer ports, or name a start port outside the ranges 'portreservation excluded' lists",
					Operation.ACQUIRE_RUNTIME, null, protocol)
				.problem(Problem.EXCLUDED_PORT_RANGE)
				.build();
		}
		finally {
			overlapping.forEach(PortReservation::close);
		}
	}

	@Override
	public PortReservation createPersistent(Protocol protocol, PortBlock block) {
		LongByReference token = new LongByReference();
		String function = "CreatePersistent" + suffix(protocol);
		int result = callIpHelper(function, block, protocol,
				() -> (protocol == Protocol.TCP)
						? this.ipHelper.CreatePersistentTcpPortReservation(start(block), count(block), token)
						: this.ipHelper.CreatePersistentUdpPortReservation(start(block), count(block), token));
		if (result != IpHelper.NO_ERROR) {
			throw this.doctor.explain(WindowsErrors.ipHelper(function, result, block, protocol,
					holdersIf(WindowsErrors.ipHelperReason(result), protocol, block)), protocol, block);
		}
		return new WindowsPortReservation(this, block, protocol, ReservationKind.PERSISTENT, true, token.getValue(),
				null);
	}

	@Override
	public Optional<PortReservation> lookupPersistent(Protocol protocol, PortBlock block) {
		LongByReference token = new LongByReference();
		String function = "LookupPersistent" + suffix(protocol);
		int result = callIpHelper(function, block, protocol,
				() -> (protocol == Protocol.TCP)
						? this.ipHelper.LookupPersistentTcpPortReservation(start(block), count(block), token)
						: this.ipHelper.LookupPersistentUdpPortReservation(start(block), count(block), token));
		if (result == IpHelper.ERROR_NOT_FOUND) {
			return Optional.empty();
		}
		if (result != IpHelper.NO_ERROR) {
			throw WindowsErrors.ipHelper(function, result, block, protocol);
		}
		return Optional.of(new WindowsPortReservation(this, block, protocol, ReservationKind.PERSISTENT, false,
				token.getValue(), null));
	}

	@Override
	public void deletePersistent(Protocol protocol, PortBlock block) {
		String function = "DeletePersistent" + suffix(protocol);
		int result = callIpHelper(function, block, protocol,
				() -> (protocol == Protocol.TCP)
						? this.ipHelper.DeletePersistentTcpPortReservation(start(block), count(block))
						: this.ipHelper.DeletePersistentUdpPortReservation(start(block), count(block)));
		if (result != IpHelper.NO_ERROR) {
			throw WindowsErrors.ipHelper(function, result, block, protocol);
		}
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * What is established for each kind, never more:
	 * <ul>
	 * <li>Runtime: {@link Enforcement#EVERY_BIND_WITHOUT_TOKEN}; a bind into a block the
	 * port pool holds for a runtime reservation fails with {@code WSAEACCES} unless the
	 * socket was associated with the token.</li>
	 * <li>Persistent: {@link Enforcement#AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS}; the
	 * block is an administered excluded range, kept out of automatic assignment and of
	 * other reservations. Users report explicit binds into administered ranges
	 * succeeding, so no refusal of those is claimed until a real run shows one.</li>
	 * </ul>
	 */
	@Override
	public Enforcement enforcement(ReservationKind kind) {
		return (kind == ReservationKind.RUNTIME) ? Enforcement.EVERY_BIND_WITHOUT_TOKEN
				: Enforcement.AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS;
	}

	/**
	 * @param reason why an operation failed
	 * @param protocol the protocol
	 * @param ports the ports concerned, or {@code null} (a block Windows was to choose)
	 * @return who holds the ports when the failure is theirs ({@code CONFLICT}),
	 * otherwise none
	 */
	List<PortHolder> holdersIf(Reason reason, Protocol protocol, PortBlock ports) {
		return (reason == Reason.CONFLICT && ports != null) ? this.holders.find(protocol, ports) : List.of();
	}

	@Override
	public PortHolders holders() {
		return this.holders;
	}

	/**
	 * Associates an unbound channel with a reservation, so that its bind takes a port of
	 * the block.
	 */
	void associate(NetworkChannel channel, WindowsPortReservation reservation) {
		InetPortReservationToken token = InetPortReservationToken.of(reservation.token());
		int error = ioctl(this.handles.of(channel), WinSock.SIO_ASSOCIATE_PORT_RESERVATION, token, null);
		if (error != 0) {
			throw WindowsErrors.winSock("SIO_ASSOCIATE_PORT_RESERVATION", error, false,
					reservation.kind() == ReservationKind.PERSISTENT, reservation.block(), reservation.protocol());
		}
	}

	/**
	 * Releases a runtime reservation on the socket that acquired it.
	 * @return 0, or the WinSock error
	 */
	int release(NetworkChannel anchor, long token) {
		return ioctl(this.handles.of(anchor), WinSock.SIO_RELEASE_PORT_RESERVATION, InetPortReservationToken.of(token),
				null);
	}

	/**
	 * Asks the system whether this process may still bind from the reservation:
	 * associates a fresh, unbound socket of the block's protocol with the token, and
	 * closes it.
	 * @return 0 when it may, else the WinSock error of
	 * {@code SIO_ASSOCIATE_PORT_RESERVATION}
	 */
	int checkAssociation(WindowsPortReservation reservation) {
		NetworkChannel probe = openAnchor(reservation.protocol(), reservation.block());
		try {
			return ioctl(this.handles.of(probe), WinSock.SIO_ASSOCIATE_PORT_RESERVATION,
					InetPortReservationToken.of(reservation.token()), null);
		}
		finally {
			Closeables.closeQuietly(probe);
		}
	}

	private PortReservation acquire(Protocol protocol, int startPort, int count, PortBlock requested) {
		boolean wildcard = startPort == 0;
		NetworkChannel anchor = openAnchor(protocol, requested);
		try {
			InetPortRange range = InetPortRange.of(startPort, count);
			InetPortReservationInstance instance = new InetPortReservationInstance();
			int error = ioctl(this.handles.of(anchor), WinSock.SIO_ACQUIRE_PORT_RESERVATION, range, instance);
			if (error != 0) {
				throw this.doctor.explain(
						WindowsErrors.winSock("SIO_ACQUIRE_PORT_RESERVATION", error, wildcard, false, requested,
								protocol, holdersIf(WindowsErrors.winSockReason(error, wildcard), protocol, requested)),
						protocol, requested);
			}
			instance.read();
			int gotStart = instance.Reservation.startPort();
			int gotCount = instance.Reservation.numberOfPorts();
			boolean expected = gotCount == count && (wildcard ? gotStart != 0 : gotStart == startPort)
					&& gotStart + gotCount - 1 <= PortBlock.MAX_PORT;
			if (!expected) {
				// Give the block back before failing; closing the anchor would end it
				// too.
				release(anchor, instance.Token);
				throw failure(Reason.SYSTEM_ERROR,
						"SIO_ACQUIRE_PORT_RESERVATION returned the block " + gotStart + "+" + gotCount
								+ " for a request of " + startPort + "+" + count + " (start port byte order mismatch?)",
						Operation.ACQUIRE_RUNTIME, requested, protocol)
					.build();
			}
			return new WindowsPortReservation(this, new PortBlock(gotStart, gotCount), protocol,
					ReservationKind.RUNTIME, true, instance.Token, anchor);
		}
		catch (RuntimeException ex) {
			Closeables.closeQuietly(anchor);
			throw ex;
		}
	}

	/**
	 * Calls {@code WSAIoctl} synchronously.
	 * @return 0, or the WinSock error JNA captured as the failed call returned
	 */
	private int ioctl(SocketHandle socket, int code, Structure in, Structure out) {
		IntByReference returned = new IntByReference();
		int result;
		int error;
		try {
			// No stale value from an earlier call can pass for this call's error.
			Native.setLastError(0);
			result = this.winSock.WSAIoctl(socket, code, in.getPointer(), in.size(),
					(out != null) ? out.getPointer() : null, (out != null) ? out.size() : 0, returned, null, null);
			error = (result == WinSock.SOCKET_ERROR) ? Native.getLastError() : 0;
		}
		catch (UnsatisfiedLinkError ex) {
			throw PortReservationException
				.builder(Reason.UNSUPPORTED, "WSAIoctl is not available on this system: " + ex.getMessage())
				.operation(Operation.OPEN_BACKEND)
				.problem(Problem.BACKEND_UNAVAILABLE)
				.backend(NAME)
				.cause(ex)
				.build();
		}
		if (result == 0) {
			return 0;
		}
		// A failure without an error code, or an undocumented result, is still a failure.
		return (error != 0) ? error : -1;
	}

	private static NetworkChannel openAnchor(Protocol protocol, PortBlock block) {
		try {
			return (protocol == Protocol.TCP) ? ServerSocketChannel.open() : DatagramChannel.open();
		}
		catch (IOException ex) {
			throw failure(Reason.SYSTEM_ERROR,
					"Cannot open the " + protocol + " socket that holds a runtime reservation: " + ex.getMessage(),
					Operation.ACQUIRE_RUNTIME, block, protocol)
				.cause(ex)
				.build();
		}
	}

	private static int callIpHelper(String function, PortBlock block, Protocol protocol, NativeCall call) {
		try {
			return call.invoke();
		}
		catch (UnsatisfiedLinkError ex) {
			throw failure(Reason.UNSUPPORTED,
					function + " is not available on this system (Windows Vista / Server 2008 or later needed; "
							+ "Wine lacks it): " + ex.getMessage(),
					WindowsErrors.operationOf(function), block, protocol)
				.problem(Problem.BACKEND_UNAVAILABLE)
				.cause(ex)
				.build();
		}
	}

	private static PortReservationException.Builder failure(Reason reason, String message, Operation operation,
			@Nullable PortBlock block, Protocol protocol) {
		return PortReservationException.builder(reason, message)
			.operation(operation)
			.backend(NAME)
			.block(block)
			.protocol(protocol);
	}

	private static short start(PortBlock block) {
		return NetworkByteOrder.toNetwork(block.startPort());
	}

	private static short count(PortBlock block) {
		return (short) block.count();
	}

	private static String suffix(Protocol protocol) {
		return (protocol == Protocol.TCP) ? "TcpPortReservation" : "UdpPortReservation";
	}

	/**
	 * Loads WinSock or the IP Helper API.
	 * @param library the library name or path
	 * @param type {@link WinSock} or {@link IpHelper}
	 * @return the interface
	 * @throws PortReservationException {@code UNSUPPORTED} when the library cannot be
	 * loaded
	 */
	static <T extends Library> T load(String library, Class<T> type) {
		try {
			return Native.load(library, type, loadOptions(Platform.isWindows()));
		}
		catch (UnsatisfiedLinkError ex) {
			throw PortReservationException
				.builder(Reason.UNSUPPORTED,
						"Cannot load the native library '" + library + "' for " + type.getSimpleName() + ": "
								+ ex.getMessage())
				.problem(PortReservationException.Problem.BACKEND_UNAVAILABLE)
				.operation(PortReservationException.Operation.OPEN_BACKEND)
				.backend(NAME)
				.cause(ex)
				.build();
		}
	}

	/**
	 * The interfaces are {@code StdCallLibrary}s, which is what JNA needs on Windows:
	 * {@code __stdcall} on 32-bit x86, and on 64-bit Windows JNA uses the one convention
	 * there is. Off Windows (the simulator on Linux) JNA rejects the stdcall convention
	 * ("Unrecognized calling convention: 63") and the library is plain C, so the C
	 * convention is asked for there.
	 * @param windows whether the process runs on Windows
	 * @return the options for {@link Native#load(String, Class, Map)}
	 */
	static Map<String, Object> loadOptions(boolean windows) {
		return windows ? Map.of() : Map.of(Library.OPTION_CALLING_CONVENTION, Function.C_CONVENTION);
	}

	@FunctionalInterface
	private interface NativeCall {

		int invoke();

	}

}
