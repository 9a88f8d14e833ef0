package dev.portreservation.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code /tmp} for the runtime-directory attack tests: a mount namespace of its
 * own ({@code unshare -m}) with a fresh sticky, world-writable tmpfs on {@code /tmp}, so
 * that another user's entries there, and ours, never touch the host's {@code /tmp} (other
 * builds on this machine use it). The first {@link HolderWorker} is started inside it;
 * later commands (another user's set-up or clean-up, more workers) enter the same mount
 * namespace with {@code nsenter}. Needs root.
 */
final class PrivateTmp implements AutoCloseable {

	private final List<WorkerProcess> workers = new ArrayList<>();

	private long namespacePid = -1;

	static void assumeAvailable() throws Exception {
		Assumptions.assumeTrue(StateDirectory.currentUid() == 0, "needs root to mount a private /tmp");
		for (String tool : List.of("unshare", "nsenter", "setpriv", "mount")) {
			Assumptions.assumeTrue(exitCode("sh", "-c", "command -v " + tool) == 0, tool + " is needed");
		}
	}

	/**
	 * Runs a shell command in the private {@code /tmp} (mounting it first if no worker
	 * has been started yet, in which case the namespace lives only as long as the
	 * command: start a worker first).
	 * @param user the user to run as, {@code null} for root
	 * @param command the shell command
	 * @return its output (exit code must be 0)
	 */
	String run(String user, String command) throws Exception {
		List<String> line = enter();
		line.addAll(as(user));
		line.addAll(List.of("sh", "-c", command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
		}
		return output;
	}

	/**
	 * Starts a {@link HolderWorker} in the private {@code /tmp}.
	 * @param setUp a shell command run as root before the worker starts, in the new
	 * namespace (may be empty); only for the first worker
	 * @param user the user the worker runs as ({@code null}: root)
	 * @param xdgRuntimeDir {@code XDG_RUNTIME_DIR} for the worker, or {@code null} for
	 * none
	 * @param jvmOptions extra JVM options
	 * @return the worker
	 */
	WorkerProcess worker(String setUp, String user, String xdgRuntimeDir, String... jvmOptions) throws Exception {
		return workerWithUmask(setUp, user, "022", xdgRuntimeDir, jvmOptions);
	}

	/**
	 * Starts a {@link HolderWorker} in the private {@code /tmp} under a umask.
	 * @param setUp see {@link #worker(String, String, String, String...)}
	 * @param user the user the worker runs as ({@code null}: root)
	 * @param umask the worker's umask
	 * @param xdgRuntimeDir {@code XDG_RUNTIME_DIR} or {@code null}
	 * @param jvmOptions extra JVM options
	 * @return the worker
	 */
	WorkerProcess workerWithUmask(String setUp, String user, String umask, String xdgRuntimeDir, String... jvmOptions)
			throws Exception {
		// exec keeps the pid: the worker's pid is the shell's.
		List<String> java = new ArrayList<>(
				List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh", "env", "-u", "XDG_RUNTIME_DIR"));
		if (xdgRuntimeDir != null) {
			java.add("XDG_RUNTIME_DIR=" + xdgRuntimeDir);
		}
		java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		java.addAll(List.of(jvmOptions));
		java.addAll(List.of("-cp", ownClasses(), HolderWorker.class.getName()));
		List<String> line;
		if (this.namespacePid < 0) {
			String script = "set -e; mount -t tmpfs -o mode=1777 prh2-private-tmp /tmp; " + setUp + "\nexec \"$@\"";
			line = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh"));
		}
		else {
			line = enter();
		}
		line.addAll(as(user));
		line.addAll(java);
		WorkerProcess worker = WorkerProcess
			.of(new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.INHERIT).start());
		this.workers.add(worker);
		if (this.namespacePid < 0) {
			// unshare, sh and setpriv exec each other: the process is the JVM.
			this.namespacePid = worker.pid();
		}
		return worker;
	}

	private List<String> enter() {
		if (this.namespacePid < 0) {
			throw new IllegalStateException("start a worker first");
		}
		return new ArrayList<>(List.of("nsenter", "--mount=/proc/" + this.namespacePid + "/ns/mnt", "--"));
	}

	private static List<String> as(String user) throws IOException {
		if (user == null) {
			return new ArrayList<>();
		}
		return new ArrayList<>(ThrowawayUser.ensure(user).prefix());
	}

	/**
	 * The build's own class directories (readable by every user), not the dependencies.
	 */
	private static String ownClasses() {
		List<String> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			if (entry.endsWith("classes") && Files.isDirectory(Path.of(entry))) {
				classPath.add(entry);
			}
		}
		return String.join(java.io.File.pathSeparator, classPath);
	}

	private static int exitCode(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getInputStream().readAllBytes();
		return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
	}

	@Override
	public void close() throws Exception {
		for (int i = this.workers.size() - 1; i >= 0; i--) {
			this.workers.get(i).close();
		}
	}

}
