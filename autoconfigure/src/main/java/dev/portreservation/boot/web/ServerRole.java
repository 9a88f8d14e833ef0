package dev.portreservation.boot.web;

import dev.portreservation.boot.LeaseOwner;

/**
 * Which embedded server binds through the block: it names the owner of the lease (the
 * observability side tells the application's ports from user code's by these labels) and
 * the property that sets its port.
 */
public enum ServerRole {

	/** The application's web server, port from {@code server.port}. */
	SERVER(LeaseOwner.SERVER.label(), "server.port"),

	/** The management server on its own port, from {@code management.server.port}. */
	MANAGEMENT(LeaseOwner.MANAGEMENT.label(), "management.server.port");

	private final String owner;

	private final String portProperty;

	ServerRole(String owner, String portProperty) {
		this.owner = owner;
		this.portProperty = portProperty;
	}

	/**
	 * @return the owner label of the lease of the server's main port
	 */
	public String owner() {
		return this.owner;
	}

	/**
	 * @return the property that sets the server's port
	 */
	public String portProperty() {
		return this.portProperty;
	}

}
