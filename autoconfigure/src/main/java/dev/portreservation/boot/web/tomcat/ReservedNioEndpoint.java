package dev.portreservation.boot.web.tomcat;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.boot.PortReservationSetupException;
import dev.portreservation.boot.web.ServerPortBinding;
import dev.portreservation.core.PortReservationException.Reason;

import org.apache.tomcat.util.net.NioEndpoint;

/**
 * A {@link NioEndpoint} whose listening socket is bound through the reservation instead
 * of a plain bind.
 * <p>
 * {@code NioEndpoint} keeps its server socket in a private field that its accept loop,
 * {@code getLocalPort()} and close read directly, and {@code initServerSocket()} is the
 * only place that sets it. The override binds through the reservation and stores the
 * channel in that field; Tomcat's classes live on the class path (an unnamed module), so
 * the private lookup needs no JVM flag.
 */
public class ReservedNioEndpoint extends NioEndpoint {

	private static final VarHandle SERVER_SOCKET = serverSocketField();

	private volatile ServerPortBinding binding;

	void setBinding(ServerPortBinding binding) {
		this.binding = binding;
	}

	@Override
	protected void initServerSocket() throws Exception {
		ServerPortBinding binding = this.binding;
		if (binding == null) {
			throw new PortReservationSetupException(
					Reason.INVALID, "Tomcat connector on port " + getPort() + " uses "
							+ ReservedHttp11NioProtocol.class.getSimpleName() + " but was never given a reservation",
					null, null,
					"Let the portreservation auto-configuration create the connector's protocol, or register the "
							+ "connector with TomcatWebServerFactory#addAdditionalConnectors so it is bound through "
							+ "the reservation.");
		}
		if (getUseInheritedChannel() || getUnixDomainSocketPath() != null) {
			throw new PortReservationSetupException(Reason.UNSUPPORTED,
					"Tomcat connector is configured for an "
							+ "inherited channel or a Unix domain socket, which cannot bind through a port reservation",
					binding.reservation().block(), binding.reservation().protocol(),
					"Remove useInheritedChannel / unixDomainSocketPath from the connector, or set "
							+ "portreservation.server.enabled=false.");
		}
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			this.socketProperties.setProperties(channel.socket());
			binding.bind(channel, new InetSocketAddress(getAddress(), getPortWithOffset()), getAcceptCount());
			// As NioEndpoint does: the acceptor thread blocks in accept().
			channel.configureBlocking(true);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		SERVER_SOCKET.setVolatile(this, channel);
	}

	private static VarHandle serverSocketField() {
		try {
			return MethodHandles.privateLookupIn(NioEndpoint.class, MethodHandles.lookup())
				.findVarHandle(NioEndpoint.class, "serverSock", ServerSocketChannel.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("This Tomcat version's NioEndpoint has no 'serverSock' field; "
					+ "portreservation supports Tomcat 11", ex);
		}
	}

}
