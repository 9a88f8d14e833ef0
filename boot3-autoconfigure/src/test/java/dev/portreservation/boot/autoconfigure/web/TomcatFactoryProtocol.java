// Not shared with the Boot 4 copy: Boot 3.5's Tomcat factory has no protocol getter, so this reads the field its
// setProtocol writes (Boot 3.5 is pinned; a renamed field fails the tests that use this loudly).
package dev.portreservation.boot.autoconfigure.web;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The protocol a Tomcat servlet factory will give its connector.
 */
final class TomcatFactoryProtocol {

	private TomcatFactoryProtocol() {
	}

	static String of(TomcatServletWebServerFactory factory) {
		return (String) ReflectionTestUtils.getField(factory, "protocol");
	}

}
