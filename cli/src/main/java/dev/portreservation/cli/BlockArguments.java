package dev.portreservation.cli;

import dev.portreservation.core.PortBlock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code START COUNT}: a block of ports, in decimal.
 */
final class BlockArguments {

	@Spec(Spec.Target.MIXEE)
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "START", description = "First port of the block (1-65535).")
	String start;

	@Parameters(index = "1", paramLabel = "COUNT", description = "Number of ports in the block.")
	String count;

	PortBlock block() {
		int first = Numbers.decimal(this.spec, "START", this.start);
		int size = Numbers.decimal(this.spec, "COUNT", this.count);
		try {
			return new PortBlock(first, size);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(this.spec.commandLine(), ex.getMessage());
		}
	}

}
