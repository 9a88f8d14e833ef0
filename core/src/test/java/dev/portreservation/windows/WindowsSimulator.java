package dev.portreservation.windows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Windows API simulator ({@code src/test/c/winsim.c}), built by the test build into
 * {@code target/winsim/libwinsim.so}: the backend loads it in place of {@code ws2_32} and
 * {@code iphlpapi}.
 */
public final class WindowsSimulator {

	static final Path LIBRARY = Path.of(System.getProperty("winsim.library", "target/winsim/libwinsim.so"))
		.toAbsolutePath();

	private static Controls controls;

	private WindowsSimulator() {
	}

	/**
	 * Skips the calling test, saying why, when the simulator cannot run here.
	 */
	public static void assumeAvailable() {
		assumeThat(Platform.isLinux())
			.as("the Windows API simulator runs on Linux only; on Windows the tests in "
					+ "WindowsOnRealWindowsTests use the real DLLs")
			.isTrue();
		assumeThat(Files.isRegularFile(LIBRARY))
			.as("the Windows API simulator was not built (" + LIBRARY
					+ " is missing): install gcc so that the test build can compile src/test/c/winsim.c")
			.isTrue();
		assumeThat(controls().winsim_kernel_supported())
			.as("this kernel lacks IP_LOCAL_PORT_RANGE (Linux 6.3 or "
					+ "later), which the simulator's SIO_ASSOCIATE_PORT_RESERVATION needs")
			.isEqualTo(1);
	}

	/**
	 * Skips the calling test, saying why, unless the simulator was preloaded into this
	 * JVM, so that the JDK's own socket calls go through it (the surefire execution
	 * {@code windows-preload-tests}).
	 */
	public static void assumePreloaded() {
		assumeAvailable();
		assumeThat(controls().winsim_interposing())
			.as("the Windows API simulator is not preloaded into this JVM: "
					+ "the *PreloadTests classes run in the surefire execution windows-preload-tests, which starts the "
					+ "JVM with LD_PRELOAD=" + LIBRARY)
			.isEqualTo(1);
	}

	public static synchronized Controls controls() {
		if (controls == null) {
			controls = Native.load(LIBRARY.toString(), Controls.class);
		}
		return controls;
	}

	static WinSock winSock() {
		return WindowsPortReservations.load(LIBRARY.toString(), WinSock.class);
	}

	static IpHelper ipHelper() {
		return WindowsPortReservations.load(LIBRARY.toString(), IpHelper.class);
	}

	/**
	 * @return the backend loaded on the simulator by library path, as a user would
	 */
	public static WindowsPortReservations backend() {
		return new WindowsPortReservations(LIBRARY.toString(), LIBRARY.toString());
	}

	/** Forgets all reservations and sets the admin flag. */
	public static void reset(boolean admin) {
		controls().winsim_reset();
		controls().winsim_set_admin(admin ? 1 : 0);
	}

	/**
	 * A test's clean-up on the simulator: closes what it opened, the last first, then
	 * forgets all reservations (without admin) if the test got as far as loading the
	 * backend; a test aborted before that has nothing on the simulator to forget.
	 * @param opened what the test opened
	 * @param backendLoaded whether the test loaded the backend
	 * @throws Exception when a close fails (the simulator is then not reset)
	 */
	static void closeAllThenReset(List<AutoCloseable> opened, boolean backendLoaded) throws Exception {
		for (int i = opened.size() - 1; i >= 0; i--) {
			opened.get(i).close();
		}
		if (backendLoaded) {
			reset(false);
		}
	}

	/**
	 * @param token a reservation token
	 * @return the block the simulator holds for it, in host byte order, or {@code null}
	 */
	static PortBlock describe(long token) {
		IntByReference start = new IntByReference();
		IntByReference count = new IntByReference();
		IntByReference runtime = new IntByReference();
		if (controls().winsim_describe(token, start, count, runtime) == 0) {
			return null;
		}
		return new PortBlock(start.getValue(), count.getValue());
	}

	/**
	 * A block to test on: the simulator's wildcard block lies inside the ephemeral range,
	 * where IP_LOCAL_PORT_RANGE works; it is given back and used only when no TCP or UDP
	 * socket has a port of it.
	 * @param backend the backend on the simulator
	 * @param count the size wanted
	 * @return a free block
	 */
	public static PortBlock freeBlock(WindowsPortReservations backend, int count) {
		for (int attempt = 0; attempt < 10; attempt++) {
			PortBlock block;
			try (var probe = backend.acquireRuntime(Protocol.TCP, count)) {
				block = probe.block();
			}
			if (allFree(Protocol.TCP, block) && allFree(Protocol.UDP, block)) {
				return block;
			}
		}
		throw new IllegalStateException("No free block of " + count + " ports found in 10 attempts");
	}

	/**
	 * @param protocol the protocol
	 * @param block a block
	 * @return whether no socket has a port of the block bound
	 */
	static boolean allFree(Protocol protocol, PortBlock block) {
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			try (NetworkChannel channel = (protocol == Protocol.TCP) ? ServerSocketChannel.open()
					: DatagramChannel.open()) {
				channel.bind(new InetSocketAddress(port));
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/** The simulator's test controls; see winsim.c. */
	public interface Controls extends Library {

		void winsim_reset();

		void winsim_set_admin(int elevated);

		void winsim_fail_next(String function, int code);

		void winsim_fail_call(String function, int skip, int code);

		int winsim_describe(long token, IntByReference start, IntByReference count, IntByReference runtime);

		int winsim_runtime_count();

		void winsim_layout(int[] layout);

		int winsim_kernel_supported();

		int winsim_interposing();

		int winsim_last_raw_error();

		void winsim_set_full_block_error(int code);

		void winsim_set_strict_persistent(int strict);

		int winsim_strict_persistent();

		void winsim_set_version(int major, int build);

	}

}
