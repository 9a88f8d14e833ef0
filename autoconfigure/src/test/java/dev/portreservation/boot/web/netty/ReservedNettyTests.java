package dev.portreservation.boot.web.netty;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.portreservation.core.PortLease;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Servers that application code builds on Netty, bound through the block with
 * {@link ReservedNetty}: a Reactor Netty {@code TcpServer}, a Reactor Netty
 * {@code HttpServer} and a plain Netty {@code ServerBootstrap}, each answering real
 * requests on its own port of one block.
 */
@GuardTimeout(30)
class ReservedNettyTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void reactorNettyAndNettyServersBindThroughTheBlock() throws Exception {
		LoopResources loops = LoopResources.create("reserved-netty-test", 1, 1, true);
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		try (PortReservation reservation = PortReservations.forCurrentPlatform().acquireRuntime(Protocol.TCP, 3)) {
			DisposableServer tcp = TcpServer.create()
				.host("127.0.0.1")
				.port(0)
				.runOn(ReservedNetty.loopResources(loops, reservation, "tcp-echo"))
				.handle((in, out) -> out.send(in.receive().retain()))
				.bindNow(Duration.ofSeconds(10));
			DisposableServer http = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.runOn(ReservedNetty.loopResources(loops, reservation, "http-api"))
				.handle((request, response) -> response.sendString(Mono.just("reactor-http")))
				.bindNow(Duration.ofSeconds(10));
			Channel bootstrapped = new ServerBootstrap().group(group)
				.channelFactory(ReservedNetty.serverChannelFactory(reservation, "netty-echo"))
				.childHandler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel channel) {
						channel.pipeline().addLast(new Echo());
					}
				})
				.bind(new InetSocketAddress(LOOPBACK, 0))
				.sync()
				.channel();
			try {
				int nettyPort = ((InetSocketAddress) bootstrapped.localAddress()).getPort();
				assertThat(List.of(tcp.port(), http.port(), nettyPort)).allMatch(reservation.block()::contains)
					.doesNotHaveDuplicates();
				assertThat(reservation.leases()).extracting(PortLease::port, PortLease::owner)
					.containsExactlyInAnyOrder(tuple(tcp.port(), "tcp-echo"), tuple(http.port(), "http-api"),
							tuple(nettyPort, "netty-echo"));
				assertThat(echo(tcp.port(), "ping")).isEqualTo("ping");
				assertThat(echo(nettyPort, "pong")).isEqualTo("pong");
				HttpResponse<String> response = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/"))
						.timeout(Duration.ofSeconds(5))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.body()).isEqualTo("reactor-http");
			}
			finally {
				tcp.disposeNow(Duration.ofSeconds(5));
				http.disposeNow(Duration.ofSeconds(5));
				bootstrapped.close().sync();
			}
		}
		finally {
			group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
		}
	}

	private static String echo(int port, String text) throws Exception {
		try (Socket socket = new Socket(LOOPBACK, port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(text.getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[text.length()];
			int read = 0;
			while (read < buffer.length) {
				int n = in.read(buffer, read, buffer.length - read);
				if (n < 0) {
					break;
				}
				read += n;
			}
			return new String(buffer, 0, read, StandardCharsets.UTF_8);
		}
	}

	private static final class Echo extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			context.writeAndFlush((ByteBuf) message);
		}

	}

}
