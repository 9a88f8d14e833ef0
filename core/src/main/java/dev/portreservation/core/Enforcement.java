package dev.portreservation.core;

/**
 * What the operating system itself enforces for a reserved block, as opposed to what this
 * library coordinates among the channels it binds. Each value says exactly which binds
 * the OS refuses; nothing beyond that is promised.
 */
public enum Enforcement {

	/**
	 * The OS enforces nothing. Only channels bound through reservations of this JVM are
	 * kept apart; any other socket, of this or another process, can bind any port of the
	 * block, and the OS may hand a port of it to an outgoing connection or a bind to port
	 * 0.
	 */
	NONE,

	/**
	 * The OS keeps the ports out of automatic assignment only: a bind to port 0 and the
	 * local port of an outgoing connection never land in the block, for every process. An
	 * explicit bind of a port of the block still succeeds for any process of any user
	 * while the port is free (Linux {@code ip_local_reserved_ports}).
	 */
	AUTOMATIC_ASSIGNMENT_ONLY,

	/**
	 * The OS refuses every bind of a port of the block by a process of another user, on
	 * any local address, with or without {@code SO_REUSEADDR} or {@code SO_REUSEPORT},
	 * and keeps the ports out of automatic assignment. A socket of the same effective
	 * user is refused too unless it sets {@code SO_REUSEPORT} itself (Linux holder
	 * sockets; see the same-user caveat in the Linux documentation).
	 */
	EVERY_BIND_BY_OTHER_USERS,

	/**
	 * The OS refuses every bind of a port of the block by a socket that was not
	 * associated with the reservation's token, whoever owns it, and keeps the ports out
	 * of automatic assignment (the Windows port pool: a bind without the token fails with
	 * {@code WSAEACCES}).
	 */
	EVERY_BIND_WITHOUT_TOKEN,

	/**
	 * The OS keeps the ports out of automatic assignment (a bind to port 0, the local
	 * port of an outgoing connection) for every process, and refuses every other
	 * reservation of a port of the block. Nothing is promised about an explicit bind of a
	 * free port of the block by a socket that was not associated with the reservation: it
	 * may succeed (Windows persistent blocks, which users report binding into; the
	 * Windows documentation does not say, see the Windows notes).
	 */
	AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS

}
