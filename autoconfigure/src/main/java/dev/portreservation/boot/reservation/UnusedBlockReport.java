package dev.portreservation.boot.reservation;

import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Says, once the context is refreshed, that no block was reserved because nothing asked
 * for one: no embedded web server binds through it (no web server,
 * {@code spring.main.web-application-type=none}, {@code server.port=-1}, a MOCK
 * {@code @SpringBootTest}) and no bean injected the {@code PortReservation}. The block is
 * reserved when something first asks for it, so a silent idle block is never held; this
 * line keeps the absence from being a surprise. A block kept across a devtools restart
 * that this context did not take is released here.
 */
public class UnusedBlockReport implements ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog(UnusedBlockReport.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final String lifecycleBeanName;

	private final BooleanSupplier heldElsewhere;

	/**
	 * @param beanFactory the context's bean factory
	 * @param lifecycleBeanName the bean that holds the block once something asked for it
	 * @param heldElsewhere whether a block is held without that bean (a named port
	 * resolved with no server and no bean asking, {@code server.port=-1}): held, and
	 * released by the context
	 */
	public UnusedBlockReport(ConfigurableListableBeanFactory beanFactory, String lifecycleBeanName,
			BooleanSupplier heldElsewhere) {
		this.beanFactory = beanFactory;
		this.lifecycleBeanName = lifecycleBeanName;
		this.heldElsewhere = heldElsewhere;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (event.getApplicationContext().getAutowireCapableBeanFactory() != this.beanFactory
				|| this.beanFactory.containsSingleton(this.lifecycleBeanName) || this.heldElsewhere.getAsBoolean()) {
			return;
		}
		RetainedBlocks.releaseAll();
		if (logger.isInfoEnabled()) {
			logger.info("No port block reserved: nothing in this application binds through one (no embedded web "
					+ "server binds through the block, for example spring.main.web-application-type=none, "
					+ "server.port=-1 or a MOCK test context). A block is reserved when a bean first injects "
					+ "PortReservation.");
		}
	}

}
