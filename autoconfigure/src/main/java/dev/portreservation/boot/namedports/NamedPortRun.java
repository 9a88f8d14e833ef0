package dev.portreservation.boot.namedports;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservationException;
import dev.portreservation.core.PortReservationException.Reason;

/**
 * A run of consecutive ports of the block lent under one name, for a component that needs
 * several ports (FTP passive ports, a media port range, several acceptors):
 * {@code ${portreservation.ports.<name>[N]}} resolves to {@code first-last},
 * {@code ${portreservation.ports.<name>[N].first}} and {@code .last} to the run's first
 * and last port. Every reference to the name must ask for the same N.
 */
final class NamedPortRun {

	private static final Pattern RUN = Pattern.compile("(.+)\\[([0-9]+)\\](?:\\.(first|last))?");

	private final String name;

	private final List<LentPort> ports;

	private NamedPortRun(String name, List<LentPort> ports) {
		this.name = name;
		this.ports = ports;
	}

	/**
	 * @param key what follows {@code portreservation.ports.}
	 * @return the run asked for, {@code null} when the key names a single port
	 */
	static Request parse(String key) {
		Matcher matcher = RUN.matcher(key);
		if (!matcher.matches()) {
			return null;
		}
		int count;
		try {
			count = Integer.parseInt(matcher.group(2));
		}
		catch (NumberFormatException ex) {
			count = Integer.MAX_VALUE;
		}
		return new Request(key, matcher.group(1), count, matcher.group(3));
	}

	static NamedPortRun lend(PortReservation reservation, Request request, IntPredicate eligible) {
		if (request.count() < 1 || request.count() > reservation.block().count()) {
			throw PortReservationException
				.builder(Reason.INVALID,
						"A run of named ports needs 1 to " + reservation.block().count()
								+ " ports (the block's size), but " + NamedPorts.PREFIX + request.text() + " asks for "
								+ request.count())
				.block(reservation.block())
				.protocol(reservation.protocol())
				.backend(reservation.backend())
				.build();
		}
		return new NamedPortRun(request.name(), reservation.lendRun(request.name(), request.count(), eligible));
	}

	/**
	 * @param request a reference to this run
	 * @return what the reference resolves to
	 */
	Object answer(Request request) {
		if (request.count() != count()) {
			throw new IllegalStateException(NamedPorts.PREFIX + request.text() + " asks for a run of " + request.count()
					+ " ports, but " + NamedPorts.PREFIX + this.name + " was lent as a run of " + count() + " ("
					+ first() + "-" + last() + "); every reference to one name must ask for the same count");
		}
		if ("first".equals(request.part())) {
			return first();
		}
		if ("last".equals(request.part())) {
			return last();
		}
		return first() + "-" + last();
	}

	static IllegalStateException usedAsSinglePort(String name, NamedPortRun run) {
		return new IllegalStateException("${" + NamedPorts.PREFIX + name + "} names a single port, but '" + name
				+ "' was lent as a run of " + run.count() + " ports (" + NamedPorts.PREFIX + name + "[" + run.count()
				+ "]); use ${" + NamedPorts.PREFIX + name + "[" + run.count() + "].first} for its first port");
	}

	static IllegalStateException usedAsRun(Request request, int port) {
		return new IllegalStateException("${" + NamedPorts.PREFIX + request.text() + "} asks for a run, but '"
				+ request.name() + "' was lent as a single port (" + port + "); use another name for the run");
	}

	int count() {
		return this.ports.size();
	}

	int first() {
		return this.ports.get(0).port();
	}

	int last() {
		return this.ports.get(this.ports.size() - 1).port();
	}

	List<LentPort> ports() {
		return this.ports;
	}

	/**
	 * A reference to a run.
	 *
	 * @param text the key as written after {@code portreservation.ports.}
	 * @param name the run's name
	 * @param count how many ports
	 * @param part {@code first}, {@code last}, or {@code null} for the whole run
	 */
	record Request(String text, String name, int count, String part) {
	}

}
