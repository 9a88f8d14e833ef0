package dev.portreservation.boot.web.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.boot.web.ServerPortBinding;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Opens a {@link ServerConnector}'s accept channel through the reservation each time the
 * connector starts, before Jetty would open and bind one itself:
 * {@link ServerConnector#open(ServerSocketChannel)} takes a channel already bound, and
 * the connector's own {@code open()} then leaves it alone.
 */
public class ReservedConnectorBinder implements LifeCycle.Listener {

	private final ServerConnector connector;

	private final ServerPortBinding binding;

	public ReservedConnectorBinder(ServerConnector connector, ServerPortBinding binding) {
		this.connector = connector;
		this.binding = binding;
	}

	@Override
	public void lifeCycleStarting(LifeCycle event) {
		try {
			this.connector.open(openChannel());
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Could not open Jetty connector " + this.connector.getName() + " through the reservation", ex);
		}
	}

	private ServerSocketChannel openChannel() throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			// The options Jetty's openAcceptChannel() sets before its bind.
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, this.connector.getReuseAddress());
			String host = this.connector.getHost();
			InetSocketAddress requested = (host != null) ? new InetSocketAddress(host, this.connector.getPort())
					: new InetSocketAddress(this.connector.getPort());
			this.binding.bind(channel, requested, this.connector.getAcceptQueueSize());
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

}
