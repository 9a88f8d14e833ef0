package dev.portreservation.linux;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Unix user for tests that need "another user": created once with useradd (no
 * home, no login shell) and reused, so the tests run the same on a fresh CI machine and
 * on a second run. Root only.
 */
final class TestUsers {

	private TestUsers() {
	}

	/**
	 * @param name the user, created when missing
	 * @return its uid
	 */
	static synchronized long uid(String name) throws IOException, InterruptedException {
		if (run("id", "-u", name) == null) {
			run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
		}
		String uid = run("id", "-u", name);
		if (uid == null) {
			throw new IllegalStateException("useradd did not create the test user " + name);
		}
		return Long.parseLong(uid.strip());
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return null;
		}
		return (process.exitValue() == 0) ? output : null;
	}

}
