package dev.portreservation.boot.autoconfigure.grpc;

import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservation;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.core.env.Environment;

/**
 * The port rule of the web server, for the gRPC server: {@code spring.grpc.server.port}
 * unset takes any free port of the block (not Spring gRPC's default 9090), 0 too, a port
 * inside the block that port, and a port outside it fails startup naming the property.
 */
public class GrpcServerPortRule implements BeanPostProcessor {

	static final String PORT_PROPERTY = "spring.grpc.server.port";

	private final ObjectProvider<PortReservation> reservation;

	private final Environment environment;

	public GrpcServerPortRule(ObjectProvider<PortReservation> reservation, Environment environment) {
		this.reservation = reservation;
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof GrpcServerProperties properties) {
			PortReservation reservation = this.reservation.getIfAvailable();
			if (reservation != null) {
				if (!this.environment.containsProperty(PORT_PROPERTY)) {
					properties.setPort(0);
				}
				new ServerPortBinding(reservation, ReservedGrpcServerCustomizer.OWNER, PORT_PROPERTY)
					.checkPort(properties.getPort());
			}
		}
		return bean;
	}

}
