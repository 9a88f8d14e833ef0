package dev.portreservation.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portreservation}: what operators need without writing Java. Lists the blocks
 * this library and the OS know of, creates and deletes persistent blocks through the same
 * backend (and so the same rules and checks) as the library, says who holds a port, and
 * whether a block would be free.
 */
@Command(name = "portreservation", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
		description = "Reserved port blocks: list them, create or delete persistent ones, and see who holds a port.",
		subcommands = { ListCommand.class, CreateCommand.class, DeleteCommand.class, WhoCommand.class,
				CheckCommand.class, ExcludedCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:done; the block is free (check); the answer is printed (list, who)",
				"1:not free, conflict, already exists, or not found: the block is not as asked",
				"2:usage: a bad command, option, port or count",
				"3:access denied: needs root / CAP_NET_ADMIN (Linux) or an elevated administrator (Windows)",
				"4:any other failure (see the message)" })
public final class PortReservationCli implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(),
				"Name a command: list, create, delete, who, check or excluded");
	}

	/**
	 * @param args the command line
	 * @return the exit code (see {@link ExitCodes})
	 */
	public static int execute(String... args) {
		return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
	}

	static int execute(PrintWriter out, PrintWriter err, String... args) {
		CommandLine commandLine = new CommandLine(new PortReservationCli());
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			err.println("portreservation: " + ex.getMessage());
			err.println("fix: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
			return ExitCodes.USAGE;
		});
		commandLine.setExecutionExceptionHandler((ex, failed, parseResult) -> {
			err.println("portreservation: unexpected failure: " + ex);
			return ExitCodes.OTHER;
		});
		return commandLine.execute(args);
	}

	public static void main(String[] args) {
		System.exit(execute(args));
	}

}
