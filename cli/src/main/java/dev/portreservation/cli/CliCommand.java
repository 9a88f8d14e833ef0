package dev.portreservation.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the common options, output in text or JSON, and turning a
 * {@link PortReservationException} into a message with the fix and an exit code.
 */
abstract class CliCommand implements Callable<Integer> {

	@Mixin
	CommonOptions options;

	@Spec
	CommandSpec spec;

	@Override
	public final Integer call() {
		this.options.apply();
		try {
			return run();
		}
		catch (PortReservationException ex) {
			return failed(ex);
		}
	}

	/**
	 * @return the exit code
	 * @throws PortReservationException when the backend refuses; reported with its fix
	 */
	protected abstract int run();

	/**
	 * @return the fix for a failure of this command; by default the advice for its reason
	 * @param failure the failure
	 */
	protected String fix(PortReservationException failure) {
		return switch (failure.getReason()) {
			case ACCESS_DENIED -> Platforms.isWindows() ? "run from an elevated shell ('Run as administrator')"
					: "run as root (sudo portreservation ...) or with CAP_NET_ADMIN; reading needs no privilege";
			case CONFLICT -> "choose other ports ('portreservation check START COUNT' shows what is in the way), "
					+ "or stop the holder named above";
			case EXHAUSTED -> "free ports of the block, or use a larger one";
			case NOT_FOUND -> "'portreservation list' shows the recorded blocks; give exactly their START and COUNT";
			case INVALID -> "correct the arguments as the message says";
			case UNSUPPORTED -> "this operating system or backend cannot do this";
			case SYSTEM_ERROR -> "see the message and the native code";
		};
	}

	PrintWriter out() {
		return this.spec.commandLine().getOut();
	}

	PrintWriter err() {
		return this.spec.commandLine().getErr();
	}

	boolean json() {
		return this.options.json;
	}

	void printJson(Object value) {
		out().print(Json.write(value));
		out().flush();
	}

	private int failed(PortReservationException failure) {
		String fix = fix(failure);
		if (json()) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("reason", failure.getReason().name());
			error.put("message", failure.getMessage());
			error.put("fix", fix);
			error.put("nativeCode", failure.getNativeCode().orElse(null));
			error.put("holders", Holders.json(failure.getHolders()));
			printJson(Map.of("error", error));
		}
		else {
			err().println("portreservation " + this.spec.name() + ": "
					+ failure.getReason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
					+ failure.getMessage());
			if (!failure.getHolders().isEmpty()) {
				err().print(Holders.table(failure.getHolders()));
			}
			err().println("fix: " + fix);
			err().flush();
		}
		return exitCode(failure.getReason());
	}

	static int exitCode(Reason reason) {
		return ExitCodes.of(reason);
	}

}
