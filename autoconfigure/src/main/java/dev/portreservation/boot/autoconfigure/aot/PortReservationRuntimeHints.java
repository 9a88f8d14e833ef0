package dev.portreservation.boot.autoconfigure.aot;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image needs to keep for this library, which loads these reflectively:
 * <ul>
 * <li>the JNA libraries of the Linux and Windows backends, which {@code Native.load}
 * implements as JDK proxies whose methods JNA invokes, and the JNA structures whose
 * fields JNA reads and writes and whose instances it creates;</li>
 * <li>JNA's own dispatch library (a resource of the JNA jar, unpacked at run time) and
 * the JNA classes its native code calls back through JNI;</li>
 * <li>the JDK internals the backends read a channel's file descriptor through
 * ({@code sun.nio.ch.SelChImpl#getFDVal}, or the {@code fdVal} field through
 * {@code sun.misc.Unsafe});</li>
 * <li>{@code ReservedHttp11NioProtocol}, which Tomcat instantiates from its class
 * name.</li>
 * </ul>
 * Types are named, not referenced, so a class path without JNA or Tomcat still loads this
 * class.
 */
class PortReservationRuntimeHints implements RuntimeHintsRegistrar {

	/** The interfaces the backends pass to {@code Native.load}. */
	static final List<String> JNA_LIBRARIES = List.of("dev.portreservation.linux.LinuxLibc",
			"dev.portreservation.linux.ReusePortProgram$LibC", "dev.portreservation.linux.SockDiag$Libc",
			"dev.portreservation.windows.WinSock", "dev.portreservation.windows.IpHelper",
			"dev.portreservation.windows.IpHelperTables", "dev.portreservation.windows.NtDll");

	/** The JNA structures of the Windows backend. */
	static final List<String> JNA_STRUCTURES = List.of("dev.portreservation.windows.InetPortRange",
			"dev.portreservation.windows.InetPortReservationInstance",
			"dev.portreservation.windows.InetPortReservationToken",
			"dev.portreservation.windows.NtDll$OsVersionInfoExW");

	/** JNA classes that {@code jnidispatch} calls back into. */
	static final List<String> JNA_JNI_TYPES = List.of("com.sun.jna.Native", "com.sun.jna.Native$ffi_callback",
			"com.sun.jna.Structure", "com.sun.jna.Structure$ByValue", "com.sun.jna.Structure$FFIType",
			"com.sun.jna.Structure$FFIType$FFITypes", "com.sun.jna.Pointer", "com.sun.jna.PointerType",
			"com.sun.jna.IntegerType", "com.sun.jna.NativeMapped", "com.sun.jna.WString", "com.sun.jna.Callback",
			"com.sun.jna.CallbackReference", "com.sun.jna.CallbackReference$AttachOptions",
			"com.sun.jna.LastErrorException", "com.sun.jna.JNIEnv", "com.sun.jna.FromNativeConverter",
			"com.sun.jna.ToNativeConverter", "com.sun.jna.NativeLong");

	/** Where the JNA jar carries {@code libjnidispatch} for each platform. */
	static final String JNA_DISPATCH_LIBRARIES = "com/sun/jna/*/*jnidispatch*";

	/** Channel implementations whose {@code fdVal} field the backends may read. */
	static final List<String> CHANNEL_IMPLEMENTATIONS = List.of("sun.nio.ch.ServerSocketChannelImpl",
			"sun.nio.ch.SocketChannelImpl", "sun.nio.ch.DatagramChannelImpl");

	static final String TOMCAT_PROTOCOL = "dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String library : JNA_LIBRARIES) {
			hints.proxies().registerJdkProxy(TypeReference.of(library));
			hints.reflection().registerType(TypeReference.of(library), MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		for (String structure : JNA_STRUCTURES) {
			hints.reflection()
				.registerType(TypeReference.of(structure), MemberCategory.ACCESS_PUBLIC_FIELDS,
						MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
						MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		hints.resources().registerPattern(JNA_DISPATCH_LIBRARIES);
		for (String type : JNA_JNI_TYPES) {
			hints.jni()
				.registerType(TypeReference.of(type), MemberCategory.ACCESS_DECLARED_FIELDS,
						MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS);
		}
		hints.reflection().registerType(TypeReference.of("sun.nio.ch.SelChImpl"), MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection()
			.registerType(TypeReference.of("sun.misc.Unsafe"), MemberCategory.ACCESS_DECLARED_FIELDS,
					MemberCategory.INVOKE_PUBLIC_METHODS);
		for (String channel : CHANNEL_IMPLEMENTATIONS) {
			hints.reflection().registerType(TypeReference.of(channel), MemberCategory.ACCESS_DECLARED_FIELDS);
		}
		hints.reflection()
			.registerType(TypeReference.of(TOMCAT_PROTOCOL), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
					MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
