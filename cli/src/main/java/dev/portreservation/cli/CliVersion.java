package dev.portreservation.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * The version the jar was built as (from its manifest; "development" when run from
 * classes).
 */
final class CliVersion implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = PortReservationCli.class.getPackage().getImplementationVersion();
		return new String[] { "portreservation " + ((version != null) ? version : "development") + ", Java "
				+ System.getProperty("java.version") + ", " + System.getProperty("os.name") };
	}

}
