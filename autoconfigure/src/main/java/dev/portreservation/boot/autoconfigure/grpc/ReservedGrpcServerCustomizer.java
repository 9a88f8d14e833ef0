package dev.portreservation.boot.autoconfigure.grpc;

import java.util.concurrent.TimeUnit;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.boot.web.netty.ReservedNetty;
import dev.portreservation.core.PortReservation;
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

	private final PortReservation reservation;

	private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());

	public ReservedGrpcServerCustomizer(PortReservation reservation) {
		this.reservation = reservation;
	}

	@Override
	public void customize(NettyServerBuilder builder) {
		builder
			.channelFactory(ReservedNetty
				.serverChannelFactory(new ServerPortBinding(this.reservation, OWNER, GrpcServerPortRule.PORT_PROPERTY)))
			.bossEventLoopGroup(this.boss)
			.workerEventLoopGroup(this.workers);
	}

	@Override
	public void destroy() throws InterruptedException {
		this.boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
		this.workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
	}

}
