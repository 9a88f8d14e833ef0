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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

	private LoopResources loops;

	private PortReservation reservation;

	private ReservedLoopResources reserved;

	@BeforeEach
	void wrapTheApplicationsLoops() {
		this.loops = LoopResources.create("reserved-test", 1, 1, true);
		this.reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 2);
		this.reserved = new ReservedLoopResources(this.loops,
				new ServerPortBinding(this.reservation, "server", "server.port"));
	}

	@AfterEach
	void releaseTheBlockThenTheLoops() {
		try {
			if (this.reservation != null) {
				this.reservation.close();
			}
		}
		finally {
			this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
	}

	@Test
	void serverChannelRegistersWithTheServerLoopsAndBindsFromTheBlock() throws Exception {
		// Asked for native loops, as Reactor Netty does by default where epoll is
		// available.
		EventLoopGroup group = this.reserved.onServer(true);
		ServerSocketChannel channel = this.reserved.onChannel(ServerSocketChannel.class, group);
		assertThat(channel).isInstanceOf(ReservedNioServerSocketChannel.class);
		channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
		group.register(channel).sync();
		channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
		int port = channel.localAddress().getPort();
		assertThat(this.reservation.block().contains(port)).isTrue();
		assertThat(this.reservation.leases()).extracting(PortLease::port, PortLease::owner)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(port, "server"));
		channel.close().sync();
	}

	@Test
	void serverChannelByClassIsRefusedRatherThanBoundOutsideTheBlock() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.reserved.onChannelClass(ServerSocketChannel.class, this.reserved.onServer(true)));
		Class<? extends Channel> client = this.reserved.onChannelClass(io.netty.channel.socket.SocketChannel.class,
				this.reserved.onClient(true));
		assertThat(client).isNotNull();
	}

	@Test
	void disposingTheWrapperLeavesTheApplicationsLoopsRunning() {
		EventLoopGroup group = this.reserved.onServer(true);
		this.reserved.disposeLater().block();
		this.reserved.dispose();
		assertThat(group.isShuttingDown()).isFalse();
	}

}
