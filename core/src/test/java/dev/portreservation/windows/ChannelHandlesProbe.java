package dev.portreservation.windows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import dev.portreservation.core.internal.ChannelDescriptors;

/**
 * Run by {@link ChannelHandlesTests} in a JVM of its own, with or without the export of
 * {@code sun.nio.ch}: prints the strategy chosen and the handle it read next to the one
 * {@code Unsafe} reads.
 */
public final class ChannelHandlesProbe {

	private ChannelHandlesProbe() {
	}

	public static void main(String[] args) throws Exception {
		try (ServerSocketChannel channel = ServerSocketChannel.open()) {
			channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			ChannelHandles handles = ChannelHandles.forThisJvm();
			long handle = handles.of(channel).longValue();
			long viaUnsafe = ChannelDescriptors.unsafeReader().fdVal(channel);
			System.out.println(handles.strategy() + ";" + handle + ";" + viaUnsafe);
		}
	}

}
