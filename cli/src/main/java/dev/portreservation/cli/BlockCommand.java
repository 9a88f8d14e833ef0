package dev.portreservation.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservations;
import picocli.CommandLine.Mixin;

/**
 * What the commands on one block ({@code START COUNT [--udp]}) share: the block and its
 * protocol, and the report of a persistent block created or deleted.
 */
abstract class BlockCommand extends CliCommand {

	@Mixin
	BlockArguments arguments;

	@Mixin
	ProtocolOption protocol;

	/**
	 * Report a change to a persistent block: in JSON {@code {"<done>": true, protocol,
	 * block, backend}}, in text one sentence, followed by {@code advice}.
	 * @param done what was done, in lower case ({@code created}, {@code deleted})
	 * @param block the block
	 * @param backend the backend that did it
	 * @param advice text after the sentence, empty or starting with a space
	 * @return the exit code
	 */
	int reportPersistentChange(String done, PortBlock block, PortReservations backend, String advice) {
		if (json()) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put(done, true);
			result.put("protocol", this.protocol.protocol().name());
			result.put("block", block.toString());
			result.put("backend", backend.name());
			printJson(result);
		}
		else {
			out().println(Character.toUpperCase(done.charAt(0)) + done.substring(1) + " persistent "
					+ this.protocol.protocol() + " block " + block + " (" + backend.name() + " backend)." + advice);
			out().flush();
		}
		return ExitCodes.OK;
	}

}
