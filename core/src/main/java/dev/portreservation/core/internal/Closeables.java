package dev.portreservation.core.internal;

import java.io.Closeable;
import java.io.IOException;

/**
 * The one place where the library closes something whose close failure nobody could act
 * on: a socket being given up after a failed bind, a holder of a block that is released,
 * a socket the OS ends with the reservation anyway.
 */
public final class Closeables {

	private Closeables() {
	}

	/**
	 * Closes a socket or file, ignoring a failure of the close itself. Never use it where
	 * the close commits data the caller relies on.
	 * @param closeable what to close, or {@code null}
	 */
	public static void closeQuietly(Closeable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Closing a socket fails only in ways that leave it closed; there is nothing
			// left to do.
		}
	}

}
