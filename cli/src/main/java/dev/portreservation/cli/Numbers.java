package dev.portreservation.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Ports and counts are decimal numbers only: {@code 0x1F90} or {@code 010} are refused
 * rather than read as some other port.
 */
final class Numbers {

	private Numbers() {
	}

	static int decimal(CommandSpec spec, String name, String text) {
		if (text == null || !text.matches("[0-9]{1,5}") || (text.length() > 1 && text.startsWith("0"))) {
			throw new ParameterException(spec.commandLine(),
					name + " must be a decimal number from 1 to 65535, was '" + text + "'");
		}
		return Integer.parseInt(text);
	}

	static int port(CommandSpec spec, String name, String text) {
		int port = decimal(spec, name, text);
		if (port < 1 || port > 65535) {
			throw new ParameterException(spec.commandLine(), name + " must be a port from 1 to 65535, was " + port);
		}
		return port;
	}

}
