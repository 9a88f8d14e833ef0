package dev.portreservation.linux;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The errno classifier against failures the JDK and libc really produce in this process:
 * each is named by its errno, and a text that only contains libc's words is named by
 * none.
 */
class LinuxErrorsTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@TempDir
	Path directory;

	@Test
	void aJdkBindRefusedForAPortInUseIsEaddrinuse() throws IOException {
		for (Protocol protocol : Protocol.values()) {
			try (ServerSocketChannel tcp = ServerSocketChannel.open(); DatagramChannel udp = DatagramChannel.open()) {
				InetSocketAddress taken;
				if (protocol == Protocol.TCP) {
					taken = (InetSocketAddress) tcp.bind(new InetSocketAddress(LOOPBACK, 0)).getLocalAddress();
				}
				else {
					taken = (InetSocketAddress) udp.bind(new InetSocketAddress(LOOPBACK, 0)).getLocalAddress();
				}
				BindException refused = catchThrowableOfType(() -> FreshSocket.bindAndClose(protocol, taken),
						BindException.class);
				assertThat(LinuxErrors.errno(refused)).as(protocol + ": " + refused.getMessage())
					.hasValue(LinuxErrors.EADDRINUSE);
				assertThat(LinuxErrors.is(refused, LinuxErrors.EACCES)).isFalse();
			}
		}
	}

	@Test
	void aJdkBindToAnAddressOfNoInterfaceIsEaddrnotavail() {
		// TEST-NET-1 (RFC 5737): never an address of this host.
		BindException refused = catchThrowableOfType(() -> {
			try (SocketChannel channel = SocketChannel.open()) {
				channel.bind(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0));
			}
		}, BindException.class);
		assertThat(LinuxErrors.errno(refused)).as(refused.getMessage()).hasValue(LinuxErrors.EADDRNOTAVAIL);
	}

	@Test
	void typedFileFailuresAreReadByTheirType() throws IOException {
		Path missing = this.directory.resolve("missing");
		IOException noSuchFile = catchThrowableOfType(() -> Files.readAllBytes(missing), IOException.class);
		assertThat(LinuxErrors.errno(noSuchFile)).hasValue(LinuxErrors.ENOENT);
		Path existing = Files.createFile(this.directory.resolve("existing"));
		IOException exists = catchThrowableOfType(() -> Files.createFile(existing), IOException.class);
		assertThat(LinuxErrors.errno(exists)).hasValue(LinuxErrors.EEXIST);
		IOException notDirectory = catchThrowableOfType(() -> Files.createFile(existing.resolve("child")),
				IOException.class);
		assertThat(LinuxErrors.errno(notDirectory)).as(notDirectory.toString()).hasValue(LinuxErrors.ENOTDIR);
	}

	@Test
	void libcsOwnTextIsTheOneTheJdkWrites() {
		// The JDK reads strerror(errno) of this process's libc for these messages; the
		// classifier asks the same libc in the same locale.
		for (int errno : new int[] { LinuxErrors.EACCES, LinuxErrors.EADDRINUSE, LinuxErrors.EPERM,
				LinuxErrors.EROFS }) {
			String text = LinuxErrors.strerror(errno);
			assertThat(text).isNotBlank();
			assertThat(LinuxErrors.errno(new BindException(text))).hasValue(errno);
			assertThat(LinuxErrors.errno(new FileSystemException("/x", null, text))).hasValue(errno);
		}
	}

	@Test
	void aTextThatOnlyContainsLibcsWordsNamesNoErrno() {
		String denied = LinuxErrors.strerror(LinuxErrors.EACCES);
		for (Exception mentions : new Exception[] { new BindException(denied + " (IPv6)"),
				new BindException("Address already in use: " + denied),
				new FileSystemException("/x", null, "EACCES: " + denied), new IOException("the record says " + denied),
				new IllegalArgumentException(denied), new SocketException(denied.toLowerCase()) }) {
			assertThat(LinuxErrors.errno(mentions)).as(mentions.toString()).isEqualTo(OptionalInt.empty());
		}
	}

	@Test
	void theBackendsOwnCallsCarryTheirErrno() throws IOException {
		IOException inUse = LinuxErrors.ofCall("bind([::]:1)", LinuxErrors.EADDRINUSE, null);
		assertThat(inUse).isInstanceOf(BindException.class);
		assertThat(LinuxErrors.errno(inUse)).hasValue(LinuxErrors.EADDRINUSE);
		IOException denied = LinuxErrors.ofCall("bind([::]:80)", LinuxErrors.EACCES, null);
		assertThat(denied).isInstanceOf(BindException.class);
		assertThat(LinuxErrors.errno(denied)).hasValue(LinuxErrors.EACCES);
		IOException other = LinuxErrors.ofCall("socket(AF_INET6)", LinuxErrors.EINVAL, null);
		assertThat(other).isNotInstanceOf(BindException.class);
		assertThat(LinuxErrors.errno(other)).hasValue(LinuxErrors.EINVAL);
	}

	@Test
	void theNativeIpv6HoldersRefusalCarriesTheKernelsErrno() throws IOException {
		try (NativeIpv6Holder first = NativeIpv6Holder.bind(Protocol.TCP, 0, false)) {
			org.junit.jupiter.api.Assumptions.assumeTrue(first != null, "this kernel has no IPv6");
		}
		try (ServerSocketChannel taken = ServerSocketChannel.open()) {
			taken.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
			int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
			BindException refused = catchThrowableOfType(() -> NativeIpv6Holder.bind(Protocol.TCP, port, false),
					BindException.class);
			assertThat(LinuxErrors.errno(refused)).as(refused.getMessage()).hasValue(LinuxErrors.EADDRINUSE);
		}
	}

}
