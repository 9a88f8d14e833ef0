package dev.portreservation.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.portreservation.test.GuardTimeouts;

/**
 * What a test opened (reservations, sockets, worker processes), closed after each test,
 * the last opened first, so a holder outlives nothing that depends on it. Registered as a
 * field with {@code @RegisterExtension}; the first failing close fails the test, as the
 * loop in each test's own {@code @AfterEach} did before. Public for the tests of other
 * packages and modules (the CLI's) that start processes.
 */
public final class ClosedAfterEach implements AfterEachCallback {

	private final List<AutoCloseable> opened = new ArrayList<>();

	/** Close {@code closeable} after the test. */
	void add(AutoCloseable closeable) {
		this.opened.add(closeable);
	}

	/** Close {@code closeable} after the test, and return it for use. */
	<T extends AutoCloseable> T track(T closeable) {
		this.opened.add(closeable);
		return closeable;
	}

	/**
	 * Kill {@code process} after the test, waiting up to 10 seconds (scaled by the
	 * time-out factor) for it to end, and return it for use.
	 * @param process a process the test started
	 * @return the process
	 */
	public Process killed(Process process) {
		this.opened.add(() -> process.destroyForcibly().waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS));
		return process;
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		for (int i = this.opened.size() - 1; i >= 0; i--) {
			this.opened.get(i).close();
		}
	}

}
