package dev.portreservation.test;

import java.time.Duration;

/**
 * Waits a test does itself (for a child process, a latch, a future) that only guard
 * against a hang: scaled by the same factor as {@link GuardTimeout}.
 */
public final class GuardTimeouts {

	private GuardTimeouts() {
	}

	/**
	 * @param seconds the wait on a machine of normal speed
	 * @return the wait times the factor of {@value GuardTimeout#FACTOR_PROPERTY}, in
	 * seconds
	 */
	public static long seconds(long seconds) {
		return scaled(seconds).toSeconds();
	}

	/**
	 * @param seconds the wait on a machine of normal speed
	 * @return the wait times the factor of {@value GuardTimeout#FACTOR_PROPERTY}
	 */
	public static Duration scaled(long seconds) {
		return GuardTimeoutExtension.scaled(seconds, System.getProperty(GuardTimeout.FACTOR_PROPERTY));
	}

}
