// Each Boot generation has its own copy (the Boot 3.5 module's reads the field: its factory has no getter);
// PortReservationWebServerAutoConfigurationTests, which uses it, is shared.
package dev.portreservation.boot.autoconfigure.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

/**
 * The protocol a Tomcat servlet factory will give its connector.
 */
final class TomcatFactoryProtocol {

	private TomcatFactoryProtocol() {
	}

	static String of(TomcatServletWebServerFactory factory) {
		return factory.getProtocol();
	}

}
