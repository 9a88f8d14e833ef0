package dev.portreservation.cli;

import java.nio.file.Path;

import dev.portreservation.linux.HolderRecords;
import dev.portreservation.linux.LinuxPortReservations;
import picocli.CommandLine.Option;

/**
 * Options every command takes.
 */
final class CommonOptions {

	@Option(names = "--json", description = "Print JSON instead of a table (errors too, on standard output).")
	boolean json;

	@Option(names = "--state-directory", paramLabel = "DIR", description = "Linux: where persistent block "
			+ "records are kept (default /run/portreservation, as for the library; every user of a block must use "
			+ "the same one).")
	Path stateDirectory;

	@Option(names = "--runtime-directory", paramLabel = "DIR", description = "Linux: read the holder registry of "
			+ "this directory only (default: the current user's, and every user's readable one).")
	Path runtimeDirectory;

	/**
	 * Hands the directories to the core library through the system properties it reads.
	 */
	void apply() {
		if (this.stateDirectory != null) {
			System.setProperty(LinuxPortReservations.STATE_DIRECTORY_PROPERTY, this.stateDirectory.toString());
		}
		if (this.runtimeDirectory != null) {
			System.setProperty(HolderRecords.RUNTIME_DIRECTORY_PROPERTY, this.runtimeDirectory.toString());
		}
	}

}
