package dev.portreservation.boot.autoconfigure.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code portreservations} endpoint.
 */
@ConfigurationProperties("portreservation.endpoint")
public class PortReservationsEndpointProperties {

	/**
	 * When to show the reservation token. The token is the handle the OS knows the block
	 * by (on Windows, what a socket is associated with before it binds from the block),
	 * so it is hidden by default.
	 */
	private Show showToken = Show.NEVER;

	/**
	 * Roles that may see the token when show-token is 'when-authorized'. Any
	 * authenticated user when empty.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public Show getShowToken() {
		return this.showToken;
	}

	public void setShowToken(Show showToken) {
		this.showToken = showToken;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}
