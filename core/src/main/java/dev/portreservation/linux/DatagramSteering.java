package dev.portreservation.linux;

import java.nio.channels.NetworkChannel;

/**
 * Keeps a UDP holder socket from taking datagrams meant for the channel bound next to it.
 * <p>
 * A channel bound to the same address as the holder (the wildcard, same address family)
 * joins the holder's {@code SO_REUSEPORT} group, and the kernel would spread incoming
 * datagrams over both. Steering tells the group to hand every datagram to the member that
 * joined after the holder, so the holder can stay bound for the whole lease and the port
 * is never free for anyone else, not even for a moment after the channel closes. A
 * channel bound to one address (127.0.0.1, ::1, ...) forms no group with the holder and
 * needs no steering: the kernel prefers the socket bound to the datagram's exact address.
 */
interface DatagramSteering {

	/**
	 * @param holder the holder of a port whose channel was just bound next to it
	 * @return what was done
	 */
	Outcome steerAwayFrom(NetworkChannel holder);

	/**
	 * @return why steering is impossible in this JVM, or {@code null} when it is possible
	 */
	String unavailable();

	/**
	 * @return steering through the kernel, or a stand-in saying why it cannot be done
	 * here
	 */
	static DatagramSteering kernel() {
		return ReusePortProgram.instance();
	}

	/**
	 * @param reason why steering cannot be done
	 * @return a stand-in that steers nothing and says why
	 */
	static DatagramSteering unavailable(String reason) {
		return new DatagramSteering() {

			@Override
			public Outcome steerAwayFrom(NetworkChannel holder) {
				return Outcome.UNAVAILABLE;
			}

			@Override
			public String unavailable() {
				return reason;
			}

		};
	}

	/** What became of a steering request. */
	enum Outcome {

		/** Every datagram of the group now goes to the channel. */
		STEERED,

		/**
		 * The holder has no group: the channel did not join it, so nothing needs
		 * steering.
		 */
		NOT_SHARED,

		/**
		 * Steering is impossible here; the holder would take some of the channel's
		 * datagrams.
		 */
		UNAVAILABLE

	}

}
