package dev.portreservation.boot.autoconfigure.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import dev.portreservation.boot.autoconfigure.web.OwnTcpListeners.Listener;
import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Says, once the application is ready, which servers listen outside the reserved block: a
 * server the starter cannot reach (a plain {@code new Connector(...)} added to Tomcat
 * where no hook sees it, a server built by hand, anything else that opened a listening
 * socket of its own) binds wherever it was told, and the block's promise does not cover
 * it. One WARN per listening socket of this process whose port lies outside every TCP
 * block this context holds, naming the socket (and the Tomcat connector, when it is one).
 * Linux only ({@code /proc}); nothing is said where the sockets cannot be listed.
 */
final class ListenersOutsideTheBlockReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(ListenersOutsideTheBlockReport.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final BiFunction<ApplicationContext, Integer, String> serverNames;

	private final Set<String> reported = new HashSet<>();

	/**
	 * @param beanFactory the context's bean factory
	 * @param serverNames names the server of a context listening on a port, {@code null}
	 * when it is none the context knows
	 */
	ListenersOutsideTheBlockReport(ConfigurableListableBeanFactory beanFactory,
			BiFunction<ApplicationContext, Integer, String> serverNames) {
		this.beanFactory = beanFactory;
		this.serverNames = serverNames;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (event.getApplicationContext().getBeanFactory() != this.beanFactory) {
			return;
		}
		List<PortBlock> blocks = heldTcpBlocks();
		if (blocks.isEmpty()) {
			return;
		}
		for (Listener listener : OwnTcpListeners.read()) {
			if (blocks.stream().noneMatch((block) -> block.contains(listener.port()))
					&& this.reported.add(listener.toString())) {
				String name = this.serverNames.apply(event.getApplicationContext(), listener.port());
				logger.warn(((name != null) ? name + ", listening on " + listener : "A server listening on " + listener)
						+ ", is outside the reserved block " + join(blocks)
						+ ": the starter does not reach it (it was not created through the auto-configured web server"
						+ " or with ReservedHttp11NioProtocol.newConnector()), so the block's guarantees do not"
						+ " cover its port. Bind it through the PortReservation bean, give it a named port"
						+ " (${portreservation.ports.<name>}), or ignore this if it is meant to listen there.");
			}
		}
	}

	// Only blocks already held: asking for the bean would reserve one.
	private List<PortBlock> heldTcpBlocks() {
		List<PortBlock> blocks = new ArrayList<>();
		for (String name : this.beanFactory.getBeanNamesForType(PortReservation.class, false, false)) {
			if (this.beanFactory.containsSingleton(name)
					&& this.beanFactory.getBean(name) instanceof PortReservation reservation && reservation.isOpen()
					&& reservation.protocol() == Protocol.TCP) {
				blocks.add(reservation.block());
			}
		}
		return blocks;
	}

	private static String join(List<PortBlock> blocks) {
		return String.join(", ", blocks.stream().map(PortBlock::toString).toList());
	}

}
