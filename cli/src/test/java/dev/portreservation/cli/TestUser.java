package dev.portreservation.cli;

import dev.portreservation.test.GuardTimeouts;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throwaway Unix user for "another user" tests: created once with useradd (no home, no
 * login shell) and reused, so a fresh CI machine and a second run behave the same. Root
 * only.
 */
final class TestUser {

	private TestUser() {
	}

	static synchronized void create(String name) throws IOException, InterruptedException {
		if (new ProcessBuilder("id", "-u", name).start().waitFor() != 0) {
			Process add = new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
					name)
				.inheritIO()
				.start();
			assertThat(add.waitFor(GuardTimeouts.seconds(30), TimeUnit.SECONDS)).isTrue();
		}
		assertThat(new ProcessBuilder("id", "-u", name).start().waitFor()).as("user " + name).isZero();
	}

}
