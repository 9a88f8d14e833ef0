package dev.portreservation.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portreservation.core.LentPort;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.PortReservations;
import dev.portreservation.core.Protocol;

/**
 * One test class's block and the ports lent from it by name. While the class runs it is
 * also published by class, so that the Spring test context of that class can adopt it.
 */
final class ClassBlock implements AutoCloseable {

	private static final Map<Class<?>, ClassBlock> ACTIVE = new ConcurrentHashMap<>();

	private final Class<?> testClass;

	private final PortReservation reservation;

	private final Map<String, LentPort> named = new LinkedHashMap<>();

	private ClassBlock(Class<?> testClass, PortReservation reservation) {
		this.testClass = testClass;
		this.reservation = reservation;
	}

	static ClassBlock reserve(Class<?> testClass, Protocol protocol, int count) {
		ClassBlock block = new ClassBlock(testClass,
				PortReservations.forCurrentPlatform().acquireRuntime(protocol, count));
		ACTIVE.put(testClass, block);
		return block;
	}

	/**
	 * @param testClass a test class, possibly nested in the class that holds the block
	 * @return the block of the class or of its nearest enclosing class, {@code null} when
	 * none is held
	 */
	static ClassBlock active(Class<?> testClass) {
		for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
			ClassBlock block = ACTIVE.get(type);
			if (block != null) {
				return block;
			}
		}
		return null;
	}

	PortReservation reservation() {
		return this.reservation;
	}

	synchronized int port(String name) {
		return this.named.computeIfAbsent(name, this.reservation::lend).port();
	}

	@Override
	public synchronized void close() {
		ACTIVE.remove(this.testClass, this);
		this.named.values().forEach(LentPort::close);
		this.reservation.close();
	}

}
