package dev.portreservation.core;

/**
 * Transport protocol of a reserved block. Reservations are per protocol: a TCP block does
 * not reserve the same UDP ports, exactly as on Windows where TCP and UDP have separate
 * port pools.
 */
public enum Protocol {

	TCP, UDP

}
