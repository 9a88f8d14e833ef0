package dev.portreservation.windows;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.internal.ChannelDescriptors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Reading the native handle of JDK channels: the {@code getFDVal} path when
 * {@code sun.nio.ch} is exported (checked in JVMs started with the flag and with the
 * manifest entry), the {@code Unsafe} path without it (this JVM: the build passes no
 * flags), and the error that names the flag when neither works.
 */
@GuardTimeout(60)
class ChannelHandlesTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void withoutFlagsTheHandleIsReadThroughUnsafe() {
		boolean exported = Object.class.getModule().isExported("sun.nio.ch", ChannelHandles.class.getModule());
		assertThat(ChannelHandles.forThisJvm().strategy()).isEqualTo(exported ? "SelChImpl.getFDVal" : "Unsafe fdVal");
	}

	@Test
	void handlesAreTheSocketsOwnDescriptors() throws IOException {
		assumeThat(Platform.isLinux()).as("checks descriptors with Linux getsockname").isTrue();
		ChannelHandles handles = ChannelHandles.forThisJvm();
		try (ServerSocketChannel server = ServerSocketChannel.open();
				DatagramChannel datagram = DatagramChannel.open()) {
			server.bind(new InetSocketAddress(LOOPBACK, 0));
			datagram.bind(new InetSocketAddress(LOOPBACK, 0));
			assertThat(boundPort(handles.of(server))).isEqualTo(localPort(server));
			assertThat(boundPort(handles.of(datagram))).isEqualTo(localPort(datagram));
		}
	}

	@Test
	void withoutAnyReaderTheErrorNamesTheFlagAndTheManifestEntry() throws IOException {
		ChannelHandles handles = ChannelHandles.select(false, () -> {
			throw new ClassNotFoundException("sun.misc.Unsafe");
		});
		assertThat(handles.strategy()).isEqualTo("none");
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> handles.of(channel))
				.satisfies((ex) -> {
					assertThat(ex.getReason()).isEqualTo(Reason.UNSUPPORTED);
					assertThat(ex.getMessage()).contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED")
						.contains("Add-Exports: java.base/sun.nio.ch")
						.contains("sun.misc.Unsafe");
				});
		}
	}

	@Test
	void theExportedPathIsPreferredAndFailsWithTheFlagWhenTheExportIsMissing() throws IOException {
		ChannelHandles handles = ChannelHandles.select(true, ChannelDescriptors::unsafeReader);
		assertThat(handles.strategy()).isEqualTo("SelChImpl.getFDVal");
		boolean exported = Object.class.getModule().isExported("sun.nio.ch", ChannelHandles.class.getModule());
		assumeThat(exported).as("this JVM runs without the export, so getFDVal must be refused").isFalse();
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			assertThatExceptionOfType(PortReservationException.class).isThrownBy(() -> handles.of(channel))
				.satisfies(
						(ex) -> assertThat(ex.getMessage()).contains("--add-exports java.base/sun.nio.ch=ALL-UNNAMED"));
		}
	}

	@Test
	void aJvmWithTheAddExportsFlagReadsGetFdVal() throws Exception {
		String output = run(List.of("--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(),
				ChannelHandlesProbe.class.getName()));
		assertProbeUsedGetFdVal(output);
	}

	@Test
	void aJarWithTheAddExportsManifestEntryReadsGetFdVal(@TempDir Path directory) throws Exception {
		Manifest manifest = new Manifest();
		Attributes attributes = manifest.getMainAttributes();
		attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		attributes.put(Attributes.Name.MAIN_CLASS, ChannelHandlesProbe.class.getName());
		attributes.putValue("Add-Exports", "java.base/sun.nio.ch");
		attributes.put(Attributes.Name.CLASS_PATH,
				Stream.of(classPath().split(java.io.File.pathSeparator))
					.map((entry) -> Path.of(entry).toUri().toString())
					.collect(Collectors.joining(" ")));
		Path jar = directory.resolve("probe.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			// The manifest is the whole jar: the classes come through Class-Path.
		}
		assertProbeUsedGetFdVal(run(List.of("-jar", jar.toString())));
	}

	private static void assertProbeUsedGetFdVal(String output) {
		String[] fields = output.strip().split(";");
		assertThat(fields).as(output).hasSize(3);
		assertThat(fields[0]).isEqualTo("SelChImpl.getFDVal");
		assertThat(Long.parseLong(fields[1])).isPositive().isEqualTo(Long.parseLong(fields[2]));
	}

	private static String run(List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(arguments);
		// Standard error is kept apart: newer JVMs print warnings there (Unsafe, native
		// access) that are not
		// part of the probe's answer.
		Path errors = Files.createTempFile("channel-handles-probe", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)).isTrue();
			String warnings = Files.readString(errors);
			assertThat(process.exitValue()).as(() -> output + warnings).isZero();
			return output;
		}
		finally {
			Files.deleteIfExists(errors);
		}
	}

	private static String classPath() {
		// Surefire may start the tests through a manifest-only jar; it keeps the real
		// class path here.
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	private static int localPort(NetworkChannel channel) throws IOException {
		return ((InetSocketAddress) channel.getLocalAddress()).getPort();
	}

	private static int boundPort(SocketHandle handle) {
		byte[] address = new byte[128];
		IntByReference length = new IntByReference(address.length);
		assertThat(LibC.INSTANCE.getsockname(handle.intValue(), address, length)).isZero();
		// sin_port / sin6_port: bytes 2 and 3, network order, for both families.
		return ((address[2] & 0xFF) << 8) | (address[3] & 0xFF);
	}

	interface LibC extends Library {

		LibC INSTANCE = Native.load("c", LibC.class);

		int getsockname(int fd, byte[] address, IntByReference length);

	}

}
