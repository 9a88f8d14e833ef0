package dev.portreservation.windows;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.portreservation.core.Enforcement;
import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.Protocol;
import dev.portreservation.test.PortReservationsContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The backend contract on real Windows, through {@code ws2_32.dll} and
 * {@code iphlpapi.dll} (run by {@code .github/workflows/windows.yml}), and the promise
 * the simulator can only model: a socket that was not associated with a reservation gets
 * no port of its block (runtime and persistent), every port comes back when the block is
 * given back, and {@code netsh} lists a persistent block (the output is kept in
 * {@code target/netsh-excludedportrange-tcp.txt}). Persistent blocks are tested only when
 * the JVM runs elevated; the workflow fails a runner that is not.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "needs the real ws2_32.dll and iphlpapi.dll; on Linux the "
		+ "same contract runs on the simulator in WindowsOnSimulatorTests")
class WindowsOnRealWindowsTests extends PortReservationsContract<WindowsPortReservations> {

	private static Boolean elevated;

	WindowsOnRealWindowsTests() {
		super(WindowsPortReservations::new);
	}

	@BeforeEach
	void checkElevationOnce() {
		synchronized (WindowsOnRealWindowsTests.class) {
			if (elevated == null) {
				elevated = probePersistentCreate();
			}
		}
	}

	@Override
	protected boolean persistentSupported() {
		assumeThat(elevated).as("persistent port reservations need an elevated administrator; this JVM is not elevated")
			.isTrue();
		return true;
	}

	@Test
	void createWithoutElevationIsAccessDeniedWithTheNativeCode() {
		assumeThat(elevated).as("only a JVM that is not elevated is refused").isFalse();
		assertThatExceptionOfType(PortReservationException.class)
			.isThrownBy(() -> backend().createPersistent(Protocol.TCP, freeBlock(2)))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(Reason.ACCESS_DENIED);
				assertThat(ex.getNativeCode()).contains(5L);
			});
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aSocketNotAssociatedCannotBindAnyPortOfAHeldRuntimeBlock(Protocol protocol) throws Exception {
		PortBlock block;
		try (PortReservation held = backend().acquireRuntime(protocol, 4)) {
			block = held.block();
			strangersAreRefusedEveryPort(protocol, block);
			List<NetworkChannel> own = new ArrayList<>();
			try {
				Set<Integer> ports = new TreeSet<>();
				for (int i = 0; i < block.count(); i++) {
					NetworkChannel channel = open(protocol);
					own.add(channel);
					ports.add((channel instanceof ServerSocketChannel server) ? held.bind(server, LOOPBACK, 0)
							: held.bind((DatagramChannel) channel, LOOPBACK));
				}
				assertThat(ports).hasSize(block.count()).allMatch(block::contains);
			}
			finally {
				for (NetworkChannel channel : own) {
					channel.close();
				}
			}
		}
		strangersGetEveryPort(protocol, block);
	}

	/**
	 * The claim of a persistent block, and which reading of Windows holds, measured: a
	 * block made by {@code CreatePersistent*PortReservation} is listed by netsh with its
	 * {@code *}, kept out of automatic assignment and of other reservations (the claim,
	 * asserted), and a socket that is not associated either binds its free ports (looser
	 * reading) or is refused (stricter reading); the reading is written to
	 * {@code target/windows-persistent-reading-<protocol>.txt}, which the workflow
	 * prints. Lending agrees with the reading found.
	 */
	@ParameterizedTest
	@EnumSource(Protocol.class)
	void aPersistentBlockKeepsItsClaimAndTheReadingIsMeasured(Protocol protocol) throws Exception {
		assumeThat(elevated).as("persistent port reservations need an elevated administrator").isTrue();
		PortBlock block = freeBlock(4);
		StringBuilder report = new StringBuilder();
		int attempts = 0;
		int bound = 0;
		try (PortReservation persistent = backend().createPersistent(protocol, block)) {
			assertThat(persistent.enforcement()).isEqualTo(Enforcement.AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS);
			String listing = excludedPortRanges(protocol);
			report.append("netsh listing while the persistent block ")
				.append(block)
				.append(" was held:\n")
				.append(listing);
			assertThat(ExcludedPortRanges.parse(listing)).as("netsh lists the persistent block with its *")
				.contains(new ExcludedPortRange(block.startPort(), block.endPort(), true));
			// The claim: no automatic port lands in the block, no other reservation takes
			// it.
			for (int i = 0; i < 64; i++) {
				try (NetworkChannel automatic = open(protocol)) {
					automatic.bind(new InetSocketAddress(LOOPBACK, 0));
					assertThat(block.contains(((InetSocketAddress) automatic.getLocalAddress()).getPort())).isFalse();
				}
			}
			assertThatExceptionOfType(PortReservationException.class)
				.isThrownBy(() -> backend().acquireRuntime(protocol, block).close())
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONFLICT));
			// The open question: explicit binds of a socket without the token.
			for (int port = block.startPort(); port <= block.endPort(); port++) {
				for (InetAddress address : List.of(InetAddress.getByName("0.0.0.0"), LOOPBACK)) {
					attempts++;
					String outcome;
					try (NetworkChannel stranger = open(protocol)) {
						stranger.bind(new InetSocketAddress(address, port));
						bound++;
						outcome = "bound";
					}
					catch (BindException ex) {
						outcome = "refused (" + ex.getMessage() + ")";
					}
					report.append("stranger ")
						.append(protocol)
						.append(" bind of ")
						.append(address.getHostAddress())
						.append(':')
						.append(port)
						.append(": ")
						.append(outcome)
						.append('\n');
				}
			}
			String reading = (bound == attempts)
					? "LOOSER reading holds: a socket without the token binds a free port of a persistent block"
					: (bound == 0) ? "STRICTER reading holds: every bind without the token was refused"
							: "MIXED: some binds without the token succeeded";
			report.append("persistent ")
				.append(protocol)
				.append(" block made by CreatePersistent")
				.append((protocol == Protocol.TCP) ? "Tcp" : "Udp")
				.append("PortReservation: ")
				.append(bound)
				.append(" of ")
				.append(attempts)
				.append(" binds without the token succeeded: ")
				.append(reading)
				.append('\n');
			// What is claimed is never more than what was measured.
			if (bound > 0) {
				assertThat(persistent.enforcement()).isNotEqualTo(Enforcement.EVERY_BIND_WITHOUT_TOKEN);
			}
			// Lending follows the reading found.
			if (bound == attempts) {
				LentPort lent = persistent.lend("component");
				try (NetworkChannel component = open(protocol)) {
					component.bind(new InetSocketAddress(LOOPBACK, lent.port()));
				}
				lent.close();
			}
			else if (bound == 0) {
				assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> persistent.lend("component"))
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED));
			}
		}
		finally {
			backend().deletePersistent(protocol, block);
			Path capture = Path.of("target",
					"windows-persistent-reading-" + protocol.name().toLowerCase(java.util.Locale.ROOT) + ".txt");
			Files.createDirectories(capture.getParent());
			Files.writeString(capture, report.toString());
			if (protocol == Protocol.TCP) {
				Files.writeString(Path.of("target", "netsh-excludedportrange-tcp.txt"), report.toString());
			}
		}
		strangersGetEveryPort(protocol, block);
	}

	@Test
	void theBuildPassesTheGateAndIsReadFromTheSystem() {
		WindowsBuild build = WindowsBuild.of(WindowsPortReservations.load(NtDll.LIBRARY, NtDll.class));
		assertThat(build.major()).isGreaterThanOrEqualTo(10);
		assertThat(build.build()).isGreaterThanOrEqualTo(WindowsBuild.FIRST_SUPPORTED_BUILD);
		assertThat(System.getProperty("os.version")).as("the JVM's own version string lacks the build")
			.doesNotContain(String.valueOf(build.build()));
	}

	private static void strangersAreRefusedEveryPort(Protocol protocol, PortBlock block) throws IOException {
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			for (InetAddress address : List.of(InetAddress.getByName("0.0.0.0"), LOOPBACK)) {
				try (NetworkChannel stranger = open(protocol)) {
					InetSocketAddress local = new InetSocketAddress(address, port);
					assertThatExceptionOfType(BindException.class).as("a stranger binding %s", local)
						.isThrownBy(() -> stranger.bind(local));
				}
			}
		}
	}

	private static void strangersGetEveryPort(Protocol protocol, PortBlock block) throws IOException {
		for (int port = block.startPort(); port <= block.endPort(); port++) {
			try (NetworkChannel stranger = open(protocol)) {
				stranger.bind(new InetSocketAddress(LOOPBACK, port));
			}
		}
	}

	private static NetworkChannel open(Protocol protocol) throws IOException {
		return (protocol == Protocol.TCP) ? ServerSocketChannel.open() : DatagramChannel.open();
	}

	private static String excludedPortRanges(Protocol protocol) throws IOException, InterruptedException {
		Process netsh = new ProcessBuilder(NetshExcludedPortRanges.command("ipv4", protocol)).redirectErrorStream(true)
			.start();
		String output = new String(netsh.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(netsh.waitFor(GuardTimeouts.seconds(60), TimeUnit.SECONDS)).isTrue();
		return output;
	}

	private boolean probePersistentCreate() {
		PortBlock block = freeBlock(1);
		try {
			backend().createPersistent(Protocol.TCP, block).close();
			backend().deletePersistent(Protocol.TCP, block);
			return true;
		}
		catch (PortReservationException ex) {
			if (ex.getReason() == Reason.ACCESS_DENIED) {
				return false;
			}
			throw ex;
		}
	}

}
