package dev.portreservation.boot.web.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The server channel Reactor Netty gets from {@link ReservedLoopResources}: it registers
 * with the server loops even where native epoll is preferred, and binds through the
 * block.
 */
@GuardTimeout(20)
class ReservedLoopResourcesTests {

	@Test
	void serverChannelRegistersWithTheServerLoopsAndBindsFromTheBlock() throws Exception {
		LoopResources loops = LoopResources.create("reserved-test", 1, 1, true);
		try (PortReservation reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 2)) {
			ReservedLoopResources reserved = new ReservedLoopResources(loops,
					new ServerPortBinding(reservation, "server", "server.port"));
			// Asked for native loops, as Reactor Netty does by default where epoll is
			// available.
			EventLoopGroup group = reserved.onServer(true);
			ServerSocketChannel channel = reserved.onChannel(ServerSocketChannel.class, group);
			assertThat(channel).isInstanceOf(ReservedNioServerSocketChannel.class);
			channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
			group.register(channel).sync();
			channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
			int port = channel.localAddress().getPort();
			assertThat(reservation.block().contains(port)).isTrue();
			assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(port, "server"));
			channel.close().sync();
		}
		finally {
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
	}

	@Test
	void serverChannelByClassIsRefusedRatherThanBoundOutsideTheBlock() {
		LoopResources loops = LoopResources.create("reserved-test-class", 1, 1, true);
		try (PortReservation reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 1)) {
			ReservedLoopResources reserved = new ReservedLoopResources(loops,
					new ServerPortBinding(reservation, "server", "server.port"));
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> reserved.onChannelClass(ServerSocketChannel.class, reserved.onServer(true)));
			Class<? extends Channel> client = reserved.onChannelClass(io.netty.channel.socket.SocketChannel.class,
					reserved.onClient(true));
			assertThat(client).isNotNull();
		}
		finally {
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
	}

	@Test
	void disposingTheWrapperLeavesTheApplicationsLoopsRunning() {
		LoopResources loops = LoopResources.create("reserved-test-dispose", 1, 1, true);
		try (PortReservation reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 1)) {
			ReservedLoopResources reserved = new ReservedLoopResources(loops,
					new ServerPortBinding(reservation, "server", "server.port"));
			EventLoopGroup group = reserved.onServer(true);
			reserved.disposeLater().block();
			reserved.dispose();
			assertThat(group.isShuttingDown()).isFalse();
		}
		finally {
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
	}

}
