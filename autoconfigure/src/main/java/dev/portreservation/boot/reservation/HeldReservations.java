package dev.portreservation.boot.reservation;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portreservation.core.PortReservation;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The {@link PortReservation} beans that hold a block, for the meters, the health
 * indicator and the endpoint. The auto-configured block is a lazy bean, reserved when the
 * embedded server or a bean asks for it; looking every bean of the type up would reserve
 * a block nothing uses, so a lazy bean not created yet is left out.
 */
public final class HeldReservations {

	private HeldReservations() {
	}

	/**
	 * @param beanFactory the bean factory
	 * @return the reservation beans by name, without lazy ones nothing has asked for
	 */
	public static Map<String, PortReservation> of(ListableBeanFactory beanFactory) {
		Map<String, PortReservation> held = new LinkedHashMap<>();
		for (String name : beanFactory.getBeanNamesForType(PortReservation.class)) {
			if (!isUnrequestedLazyBean(beanFactory, name)) {
				held.put(name, beanFactory.getBean(name, PortReservation.class));
			}
		}
		return held;
	}

	private static boolean isUnrequestedLazyBean(ListableBeanFactory beanFactory, String name) {
		return beanFactory instanceof ConfigurableListableBeanFactory configurable
				&& configurable.containsBeanDefinition(name) && configurable.getBeanDefinition(name).isLazyInit()
				&& !configurable.containsSingleton(name);
	}

}
