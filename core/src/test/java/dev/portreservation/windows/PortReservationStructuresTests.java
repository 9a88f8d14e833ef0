package dev.portreservation.windows;

import java.math.BigInteger;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortReservation;
import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Layout of the mstcpip.h structures, the IOCTL codes, and the network byte order of
 * every StartPort. The ports used are asymmetric (0x9C41 = 40001 reads 0x419C = 16796
 * byte-swapped) so that a missing or doubled htons lands on another block and fails.
 */
class PortReservationStructuresTests {

	private static final int ASYMMETRIC_PORT = 0x9C41;

	@Test
	void structureSizesAndTokenOffsetMatchMstcpip() {
		assertThat(new InetPortRange().size()).isEqualTo(4);
		assertThat(new InetPortReservationToken().size()).isEqualTo(8);
		InetPortReservationInstance instance = new InetPortReservationInstance();
		assertThat(instance.size()).isEqualTo(16);
		assertThat(instance.tokenOffset()).isEqualTo(8);
	}

	@Test
	void structureLayoutMatchesTheCCompiler() {
		WindowsSimulator.assumeAvailable();
		int[] layout = new int[4];
		WindowsSimulator.controls().winsim_layout(layout);
		assertThat(layout).containsExactly(new InetPortRange().size(), new InetPortReservationToken().size(),
				new InetPortReservationInstance().size(), new InetPortReservationInstance().tokenOffset());
	}

	@Test
	void ioctlCodesAreWsaiowOfTheVendorFamily() {
		int iocIn = 0x80000000;
		int iocVendor = 0x18000000;
		assertThat(WinSock.SIO_ACQUIRE_PORT_RESERVATION).isEqualTo(iocIn | iocVendor | 100);
		assertThat(WinSock.SIO_RELEASE_PORT_RESERVATION).isEqualTo(iocIn | iocVendor | 101);
		assertThat(WinSock.SIO_ASSOCIATE_PORT_RESERVATION).isEqualTo(iocIn | iocVendor | 102);
		assertThat(Integer.toUnsignedString(WinSock.SIO_ACQUIRE_PORT_RESERVATION, 16)).isEqualTo("98000064");
	}

	@Test
	void startPortLiesInMemoryHighByteFirst() {
		InetPortRange range = InetPortRange.of(ASYMMETRIC_PORT, 3);
		assertThat(range.getPointer().getByte(0)).isEqualTo((byte) 0x9C);
		assertThat(range.getPointer().getByte(1)).isEqualTo((byte) 0x41);
		// NumberOfPorts stays in host order.
		byte low = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) ? (byte) 3 : 0;
		assertThat(range.getPointer().getByte(2)).isEqualTo(low);
		assertThat(range.startPort()).isEqualTo(ASYMMETRIC_PORT);
		assertThat(range.numberOfPorts()).isEqualTo(3);
	}

	@Test
	void networkOrderRoundTripsEveryPortAndRejectsOthers() {
		for (int port = 0; port <= 0xFFFF; port++) {
			assertThat(NetworkByteOrder.fromNetwork(NetworkByteOrder.toNetwork(port))).isEqualTo(port);
		}
		assertThat(NetworkByteOrder.toNetwork(ASYMMETRIC_PORT)).isNotEqualTo((short) ASYMMETRIC_PORT);
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkByteOrder.toNetwork(65536));
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkByteOrder.toNetwork(-1));
	}

	@Test
	void acquiredInstanceIsDecodedFromNetworkOrder() {
		InetPortReservationInstance instance = new InetPortReservationInstance();
		instance.getPointer().setByte(0, (byte) 0x9C);
		instance.getPointer().setByte(1, (byte) 0x41);
		instance.getPointer().setShort(2, (short) 5);
		instance.getPointer().setLong(8, 0xF00D000000000001L);
		instance.read();
		assertThat(instance.Reservation.startPort()).isEqualTo(ASYMMETRIC_PORT);
		assertThat(instance.Reservation.numberOfPorts()).isEqualTo(5);
		assertThat(Long.toUnsignedString(instance.Token)).isEqualTo(new BigInteger("F00D000000000001", 16).toString());
	}

	@Test
	void simulatorSeesTheBlockJavaAskedForAndJavaSeesTheBlockTheSimulatorChose() {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		WindowsPortReservations backend = WindowsSimulator.backend();
		PortBlock specific = asymmetricFreeBlock(3);
		try (PortReservation runtime = backend.acquireRuntime(Protocol.TCP, specific)) {
			assertThat(WindowsSimulator.describe(runtime.token())).isEqualTo(specific);
		}
		try (PortReservation wildcard = backend.acquireRuntime(Protocol.UDP, 7)) {
			assertThat(WindowsSimulator.describe(wildcard.token())).isEqualTo(wildcard.block());
		}
		PortBlock persistentBlock = asymmetricFreeBlock(2);
		try (PortReservation persistent = backend.createPersistent(Protocol.UDP, persistentBlock)) {
			assertThat(WindowsSimulator.describe(persistent.token())).isEqualTo(persistentBlock);
			// Tokens above 2^63 survive as unsigned values.
			assertThat(persistent.token()).isNegative();
			assertThat(backend.lookupPersistent(Protocol.UDP, persistentBlock)).get()
				.extracting(PortReservation::token)
				.isEqualTo(persistent.token());
		}
		finally {
			backend.deletePersistent(Protocol.UDP, persistentBlock);
		}
	}

	private static PortBlock asymmetricFreeBlock(int count) {
		// High byte 0x9C..0xB0 keeps the block in the ephemeral range 32768-60999 and its
		// byte-swapped start
		// (below 0x4200 = 16896) far outside it.
		for (int high = 0x9C; high <= 0xB0; high++) {
			PortBlock block = new PortBlock((high << 8) | 0x41, count);
			if (WindowsSimulator.allFree(Protocol.TCP, block) && WindowsSimulator.allFree(Protocol.UDP, block)) {
				return block;
			}
		}
		throw new IllegalStateException("No free asymmetric block");
	}

}
