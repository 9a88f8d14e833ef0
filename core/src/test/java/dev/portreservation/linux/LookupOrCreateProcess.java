package dev.portreservation.linux;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

/**
 * A separate process for {@link PersistentBlockStoreTests}: waits for a start signal,
 * then looks up or creates a persistent block in stand-in files and prints whether it
 * created it and the token; then waits until its standard input closes (or it is killed),
 * so that it is alive while the others answer.
 */
public final class LookupOrCreateProcess {

	private LookupOrCreateProcess() {
	}

	/**
	 * @param args sysctl stand-in, state directory, block ("start-end"), start signal
	 * file
	 * @throws Exception on any failure (the parent sees a non-zero exit)
	 */
	public static void main(String[] args) throws Exception {
		Path sysctl = Path.of(args[0]);
		LinuxPortReservations backend = new LinuxPortReservations(sysctl, sysctl, Path.of(args[1]));
		PortBlock block = PortBlock.parse(args[2]);
		Path start = Path.of(args[3]);
		System.out.println("ready");
		System.out.flush();
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (!Files.exists(start) && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		try (PortReservation reservation = backend.lookupOrCreatePersistent(Protocol.TCP, block)) {
			System.out.println(reservation.createdByThisProcess() + " " + reservation.token());
			System.out.flush();
			while (System.in.read() >= 0) {
				// Nothing is expected on stdin; reading only waits for its end.
			}
		}
	}

}
