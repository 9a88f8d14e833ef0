package dev.portreservation.boot.autoconfigure.aot;

import java.lang.reflect.Modifier;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.portreservation.boot.web.tomcat.ReservedHttp11NioProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18.3: the runtime hints a native image needs, registered through
 * {@code META-INF/spring/aot.factories}. Every JNA library interface and structure the
 * library has (found in its classes, so a new one without a hint fails here), JNA's
 * dispatch library, and the JDK internals the backends reflect on are covered.
 */
class PortReservationRuntimeHintsTests {

	// The library's own classes: not the test classes, nor core's test jar.
	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption((location) -> !location.contains("-tests.jar") && !location.contains("test-classes"))
		.importPackages("dev.portreservation");

	private static final RuntimeHints hints = new RuntimeHints();

	@BeforeAll
	static void registerAsSpringDoes() {
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints,
					PortReservationRuntimeHintsTests.class.getClassLoader()));
	}

	@Test
	void registrarsAreListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(PortReservationRuntimeHints.class);
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanRegistrationAotProcessor.class)).hasAtLeastOneElementOfType(NoInferredCloseAotProcessor.class);
	}

	@Test
	void everyJnaLibraryInterfaceIsAProxyWhoseMethodsCanBeInvoked() throws Exception {
		List<Class<?>> libraries = CLASSES.stream()
			.filter(JavaClass::isInterface)
			.filter((type) -> type.isAssignableTo(Library.class))
			.<Class<?>>map(JavaClass::reflect)
			.toList();
		assertThat(libraries).as("JNA library interfaces found").hasSizeGreaterThanOrEqualTo(5);
		for (Class<?> library : libraries) {
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(library)).as("proxy of %s", library)
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(library)
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).as("methods of %s", library).accepts(hints);
		}
	}

	@Test
	void everyJnaStructureHasItsFieldsAndConstructorsKept() throws Exception {
		List<Class<?>> structures = CLASSES.stream()
			.filter((type) -> type.isAssignableTo(Structure.class)
					&& !type.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT))
			.<Class<?>>map(JavaClass::reflect)
			.toList();
		assertThat(structures).as("JNA structures found").isNotEmpty();
		for (Class<?> structure : structures) {
			for (var field : structure.getFields()) {
				if (!Modifier.isStatic(field.getModifiers())) {
					assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(field)).as("field %s", field)
						.accepts(hints);
				}
			}
			for (var constructor : structure.getConstructors()) {
				assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor))
					.as("constructor %s", constructor)
					.accepts(hints);
			}
		}
	}

	@Test
	void jnaDispatchLibraryAndItsCallbacksAreKept() {
		String linux = "com/sun/jna/linux-x86-64/libjnidispatch.so";
		String windows = "com/sun/jna/win32-x86-64/jnidispatch.dll";
		for (String library : List.of(linux, windows)) {
			assertThat(Native.class.getClassLoader().getResource(library)).as(library).isNotNull();
			assertThat(RuntimeHintsPredicates.resource().forResource(library)).as(library).accepts(hints);
		}
		for (Class<?> type : List.of(Native.class, Structure.class, com.sun.jna.Pointer.class,
				com.sun.jna.Callback.class, com.sun.jna.LastErrorException.class)) {
			assertThat(hints.jni().getTypeHint(TypeReference.of(type))).as("JNI access to %s", type).isNotNull();
		}
	}

	@Test
	void jdkInternalsTheBackendsReadDescriptorsThroughAreKept() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Class.forName("sun.nio.ch.SelChImpl"), "getFDVal")).accepts(hints);
		Class<?> unsafe = Class.forName("sun.misc.Unsafe");
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(unsafe, "theUnsafe")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(unsafe.getMethod("objectFieldOffset", java.lang.reflect.Field.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(unsafe.getMethod("getInt", Object.class, long.class))).accepts(hints);
		try (ServerSocketChannel server = ServerSocketChannel.open();
				SocketChannel socket = SocketChannel.open();
				DatagramChannel datagram = DatagramChannel.open()) {
			for (Class<?> channel : List.of(server.getClass(), socket.getClass(), datagram.getClass())) {
				assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(channel, "fdVal"))
					.as("fdVal of %s", channel)
					.accepts(hints);
			}
		}
	}

	@Test
	void tomcatCanCreateTheReservedProtocolFromItsName() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(ReservedHttp11NioProtocol.class.getConstructor())).accepts(hints);
	}

}
