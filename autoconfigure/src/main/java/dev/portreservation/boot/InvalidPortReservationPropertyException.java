package dev.portreservation.boot;

import org.springframework.boot.origin.Origin;

/**
 * A {@code portreservation.*} property that is not one, or whose value has the wrong
 * shape: a typo, a number not written in decimal, a list or a map where a single value
 * belongs. Raised before anything is reserved and explained by
 * {@code InvalidPortReservationPropertyFailureAnalyzer}.
 */
public class InvalidPortReservationPropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final transient Origin origin;

	private final String problem;

	private final String action;

	/**
	 * @param property the property as found, such as {@code portreservation.cout}
	 * @param value its value
	 * @param origin where it was set, {@code null} when unknown
	 * @param problem what is wrong with it
	 * @param action what to change
	 */
	public InvalidPortReservationPropertyException(String property, Object value, Origin origin, String problem,
			String action) {
		super(property + ": " + problem);
		this.property = property;
		this.value = value;
		this.origin = origin;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * @return the property as found
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * @return its value
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * @return where it was set, {@code null} when unknown
	 */
	public Origin getOrigin() {
		return this.origin;
	}

	/**
	 * @return what is wrong with it
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * @return what to change
	 */
	public String getAction() {
		return this.action;
	}

}
