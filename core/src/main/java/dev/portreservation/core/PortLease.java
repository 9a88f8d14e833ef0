package dev.portreservation.core;

import java.time.Instant;

/**
 * A port of a reserved block that a channel is bound to.
 *
 * @param port the bound port
 * @param owner who bound it: {@code "server"}, {@code "management"}, or a label chosen by
 * user code
 * @param since when the bind happened
 */
public record PortLease(int port, String owner, Instant since) {

}
