package dev.portreservation.cli;

import dev.portreservation.core.Protocol;
import picocli.CommandLine.Option;

/**
 * {@code --udp}: the protocol of the port or block (TCP by default).
 */
final class ProtocolOption {

	@Option(names = "--udp", description = "UDP instead of TCP.")
	boolean udp;

	Protocol protocol() {
		return this.udp ? Protocol.UDP : Protocol.TCP;
	}

}
