package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HolderWorker} in its own JVM, with the test's class path, talking line by
 * line.
 */
final class WorkerProcess implements AutoCloseable {

	private final Process process;

	private final BufferedReader out;

	private final Writer in;

	private WorkerProcess(Process process) {
		this.process = process;
		this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
	}

	/**
	 * @param umask a umask to start the JVM under (through {@code sh -c}), or
	 * {@code null}
	 * @param jvmOptions extra JVM options, e.g. {@code -Djava.net.preferIPv4Stack=true}
	 * @return the started worker
	 */
	static WorkerProcess start(String umask, String... jvmOptions) throws IOException {
		return start(List.of(), umask, jvmOptions);
	}

	/**
	 * @param prefix a command the JVM runs under, e.g. {@code unshare -n}
	 * @param jvmOptions extra JVM options
	 * @return the started worker
	 */
	static WorkerProcess startUnder(List<String> prefix, String... jvmOptions) throws IOException {
		return start(prefix, null, jvmOptions);
	}

	/**
	 * @param prefix a command the JVM runs under, e.g. {@code unshare -n}, or empty
	 * @param umask a umask to start the JVM under (through {@code sh -c}), or
	 * {@code null}
	 * @param jvmOptions extra JVM options
	 * @return the started worker
	 */
	private static WorkerProcess start(List<String> prefix, String umask, String... jvmOptions) throws IOException {
		List<String> java = new ArrayList<>(prefix);
		java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		java.addAll(List.of(jvmOptions));
		java.addAll(List.of("-cp", System.getProperty("java.class.path"), HolderWorker.class.getName()));
		List<String> command = java;
		if (umask != null) {
			// exec keeps the pid: the worker's pid is the shell's.
			command = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
			command.addAll(java);
		}
		return new WorkerProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
	}

	/**
	 * @param process a started {@link HolderWorker}
	 * @return the worker talking to it
	 */
	static WorkerProcess of(Process process) {
		return new WorkerProcess(process);
	}

	/**
	 * Sends one command and waits (bounded) for its answer line.
	 * @param command the command
	 * @return the answer
	 */
	String send(String command) throws Exception {
		this.in.write(command + "\n");
		this.in.flush();
		return next();
	}

	/**
	 * @return the next line the worker prints, waited for a bounded time
	 */
	String next() throws Exception {
		String line = CompletableFuture.supplyAsync(() -> {
			try {
				return this.out.readLine();
			}
			catch (IOException ex) {
				return "ERROR " + ex;
			}
		}).get(GuardTimeouts.seconds(60), TimeUnit.SECONDS);
		return (line != null) ? line : "EXITED";
	}

	long pid() {
		return this.process.pid();
	}

	/** Ends the worker normally: its input closes and it returns from main. */
	boolean exitNormally() throws Exception {
		this.in.close();
		return this.process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS) && this.process.exitValue() == 0;
	}

	void kill() throws Exception {
		this.process.destroyForcibly();
		this.process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS);
	}

	@Override
	public void close() throws Exception {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
