package dev.portreservation.boot.autoconfigure;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The user's reservation beans the health and metrics auto-configuration tests start
 * from: a TCP one, a UDP one, and a UDP one that is no default candidate. Each test class
 * sets the sizes its assertions count on ({@link #TCP_PORTS}, {@link #UDP_PORTS},
 * {@link #SIDE_PORTS}).
 */
public final class ReservationBeans {

	/** How many ports {@link TcpReservation} reserves. */
	public static final String TCP_PORTS = "test.reservation-beans.tcp-ports";

	/** How many ports {@link UdpReservation} reserves. */
	public static final String UDP_PORTS = "test.reservation-beans.udp-ports";

	/** How many ports {@link NonDefaultCandidateReservation} reserves. */
	public static final String SIDE_PORTS = "test.reservation-beans.side-ports";

	private ReservationBeans() {
	}

	private static PortReservation reserve(Protocol protocol, Environment environment, String size) {
		return new PortablePortReservations().acquireRuntime(protocol,
				environment.getRequiredProperty(size, Integer.class));
	}

	@Configuration(proxyBeanMethods = false)
	public static class TcpReservation {

		@Bean
		PortReservation tcpReservation(Environment environment) {
			return reserve(Protocol.TCP, environment, TCP_PORTS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class NonDefaultCandidateReservation {

		@Bean(defaultCandidate = false)
		PortReservation sideReservation(Environment environment) {
			return reserve(Protocol.UDP, environment, SIDE_PORTS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class UdpReservation {

		@Bean
		PortReservation udpReservation(Environment environment) {
			return reserve(Protocol.UDP, environment, UDP_PORTS);
		}

	}

}
