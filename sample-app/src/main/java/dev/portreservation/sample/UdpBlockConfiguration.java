package dev.portreservation.sample;

import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;
import dev.portreservation.portable.PortablePortReservations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A second block, of UDP ports, reserved by application code through the programmatic
 * API, next to the TCP block the starter reserves for the embedded server. The app's UDP
 * echo and the {@code /udp/ports} endpoints bind through it; metrics, the
 * {@code portreservations} endpoint and health cover it too.
 */
@Configuration(proxyBeanMethods = false)
class UdpBlockConfiguration {

	private static final Log logger = LogFactory.getLog(UdpBlockConfiguration.class);

	/**
	 * Not a default candidate: a by-type lookup of {@code PortReservation} (the starter's
	 * own block for the server) must neither see this block nor back off because of it.
	 * Inject it with its name.
	 * @param backends the backend the starter configured, if any
	 * @param ports the number of ports
	 * @return the reserved UDP block, closed with the context
	 */
	@Bean(defaultCandidate = false)
	PortReservation udpReservation(ObjectProvider<PortReservations> backends,
			@Value("${sample.udp.ports:4}") int ports) {
		PortReservations backend = backends.getIfAvailable(UdpBlockConfiguration::platformBackend);
		PortReservation reservation = backend.acquireRuntime(Protocol.UDP, ports);
		logger.info("Reserved UDP block " + reservation.block() + " through the " + reservation.backend()
				+ " backend (OS enforcement: " + reservation.enforcement() + ")");
		return reservation;
	}

	@Bean
	UdpEcho udpEcho(@Qualifier("udpReservation") PortReservation udpReservation) {
		return new UdpEcho(udpReservation);
	}

	@Bean
	UdpPorts udpPorts(@Qualifier("udpReservation") PortReservation udpReservation) {
		return new UdpPorts(udpReservation);
	}

	private static PortReservations platformBackend() {
		try {
			return PortReservations.forCurrentPlatform();
		}
		catch (PortReservationException ex) {
			if (ex.getReason() != Reason.UNSUPPORTED) {
				throw ex;
			}
			logger.warn("No native port reservation backend for this platform (" + ex.getMessage()
					+ "); the UDP block is kept by the in-JVM portable backend");
			return new PortablePortReservations();
		}
	}

}
