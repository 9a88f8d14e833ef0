package dev.portreservation.boot.autoconfigure.grpc;

import java.util.concurrent.TimeUnit;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.boot.web.netty.ReservedNetty;
import dev.portreservation.core.PortReservation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * Makes Spring gRPC's Netty server bind through the block: its server channel comes from
 * {@link ReservedNetty#serverChannelFactory}, on NIO event loops of its own (grpc-netty
 * takes a channel factory only together with both event loop groups). The loops are shut
 * down with the context.
 */
public class ReservedGrpcServerCustomizer implements ServerBuilderCustomizer<NettyServerBuilder>, DisposableBean {

	static final String OWNER = "grpc";

	private final ObjectProvider<PortReservation> reservation;

	private @Nullable EventLoopGroup boss;

	private @Nullable EventLoopGroup workers;

	/**
	 * @param reservation the block, asked for only when a gRPC server is built: a context
	 * without one reserves nothing and starts no event loop
	 */
	public ReservedGrpcServerCustomizer(ObjectProvider<PortReservation> reservation) {
		this.reservation = reservation;
	}

	@Override
	public synchronized void customize(NettyServerBuilder builder) {
		if (this.boss == null) {
			this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
			this.workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
		}
		builder
			.channelFactory(ReservedNetty.serverChannelFactory(
					new ServerPortBinding(this.reservation.getObject(), OWNER, GrpcServerPortRule.PORT_PROPERTY)))
			.bossEventLoopGroup(this.boss)
			.workerEventLoopGroup(this.workers);
	}

	@Override
	public synchronized void destroy() throws InterruptedException {
		for (EventLoopGroup loops : new EventLoopGroup[] { this.boss, this.workers }) {
			if (loops != null) {
				loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
			}
		}
	}

}
