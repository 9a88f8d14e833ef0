package dev.portreservation.windows;

import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.PortHolder;
import dev.portreservation.core.Protocol;
import dev.portreservation.linux.PortHoldingProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.portreservation.test.GuardTimeout;
import dev.portreservation.test.GuardTimeouts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WindowsPortHolders} through JNA on the simulator's {@code GetExtendedTcpTable} /
 * {@code GetExtendedUdpTable} (src/test/c/winsim_tables.c): the documented size protocol,
 * both address families, and a table that grows between the size query and the call.
 */
@GuardTimeout(60)
class WindowsPortHoldersOnSimulatorTests {

	private Process holder;

	private PortBlock block;

	@BeforeEach
	void startHolder() throws Exception {
		WindowsSimulator.assumeAvailable();
		WindowsSimulator.reset(true);
		this.block = WindowsSimulator.freeBlock(WindowsSimulator.backend(), 3);
		int first = this.block.startPort();
		this.holder = PortHoldingProcess.startReady("tcp-listen/127.0.0.1/" + first, "tcp-listen/::1/" + (first + 1),
				"udp/::1/" + (first + 2));
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.holder != null) {
			this.holder.destroyForcibly().waitFor(GuardTimeouts.seconds(10), TimeUnit.SECONDS);
		}
		if (this.block != null) {
			controls().winsim_tables_insufficient_next(0);
			controls().winsim_tables_fail_next(0, 0);
		}
	}

	@Test
	void theTablesKeepTheDocumentedSizeProtocol() {
		IpHelperTables api = Native.load(WindowsSimulator.LIBRARY.toString(), IpHelperTables.class);
		IntByReference size = new IntByReference(0);
		assertThat(api.GetExtendedTcpTable(null, size, 0, IpHelperTables.AF_INET,
				IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isEqualTo(IpHelperTables.ERROR_INSUFFICIENT_BUFFER);
		int needed = size.getValue();
		assertThat((needed - 4) % WindowsPortHolders.TCP_ROW).isZero();
		Memory small = new Memory(needed - 1);
		size.setValue(needed - 1);
		assertThat(api.GetExtendedTcpTable(small, size, 0, IpHelperTables.AF_INET,
				IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isEqualTo(IpHelperTables.ERROR_INSUFFICIENT_BUFFER);
		assertThat(size.getValue()).isGreaterThanOrEqualTo(needed - WindowsPortHolders.TCP_ROW);
		// The IPv6 table is sized by its own first call (every dual-stack Java socket of
		// this machine is in it),
		// with room for 64 more rows that may appear between the two calls.
		IntByReference needed6 = new IntByReference(0);
		assertThat(api.GetExtendedTcpTable(null, needed6, 0, IpHelperTables.AF_INET6,
				IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isEqualTo(IpHelperTables.ERROR_INSUFFICIENT_BUFFER);
		Memory big = new Memory(needed6.getValue() + 64L * WindowsPortHolders.TCP6_ROW);
		size.setValue((int) big.size());
		assertThat(api.GetExtendedTcpTable(big, size, 0, IpHelperTables.AF_INET6,
				IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isZero();
		assertThat(size.getValue()).isEqualTo(4 + big.getInt(0) * WindowsPortHolders.TCP6_ROW);
		int invalid = IpHelper.ERROR_INVALID_PARAMETER;
		IntByReference any = new IntByReference(1 << 16);
		Memory buffer = new Memory(1 << 16);
		assertThat(api.GetExtendedTcpTable(buffer, null, 0, IpHelperTables.AF_INET,
				IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isEqualTo(invalid);
		assertThat(api.GetExtendedTcpTable(buffer, any, 0, 99, IpHelperTables.TCP_TABLE_OWNER_PID_ALL, 0))
			.isEqualTo(invalid);
		assertThat(api.GetExtendedTcpTable(buffer, any, 0, IpHelperTables.AF_INET, 99, 0)).isEqualTo(invalid);
		assertThat(
				api.GetExtendedUdpTable(buffer, any, 0, IpHelperTables.AF_INET, IpHelperTables.UDP_TABLE_OWNER_PID, 1))
			.isEqualTo(invalid);
	}

	@Test
	void eachSocketIsNamedWithPidStateAndAddressInBothFamilies() {
		WindowsPortHolders holders = new WindowsPortHolders(WindowsSimulator.LIBRARY.toString());
		int first = this.block.startPort();
		assertThat(holders.find(Protocol.TCP, first)).singleElement().satisfies((holder) -> {
			assertThat(holder.pid()).isEqualTo(this.holder.pid());
			assertThat(holder.state()).isEqualTo("LISTEN");
			assertThat(holder.localAddress()).isEqualTo("127.0.0.1");
			assertThat(holder.command()).contains(PortHoldingProcess.class.getName());
			assertThat(holder.kind()).isEqualTo(PortHolder.Kind.SOCKET);
		});
		assertThat(holders.find(Protocol.TCP, first + 1)).singleElement()
			.satisfies((holder) -> assertThat(holder.localAddress()).isEqualTo("0:0:0:0:0:0:0:1"));
		assertThat(holders.find(Protocol.UDP, first + 2)).singleElement().satisfies((holder) -> {
			assertThat(holder.pid()).isEqualTo(this.holder.pid());
			assertThat(holder.state()).isEqualTo("BOUND");
		});
		assertThat(holders.find(Protocol.UDP, first)).isEmpty();
		assertThat(holders.find(Protocol.TCP, this.block)).extracting(PortHolder::port)
			.containsExactly(first, first + 1);
	}

	@Test
	void aTableThatGrowsIsAskedForAgainAndAFailingCallNamesNobodyWithoutThrowing() {
		WindowsPortHolders holders = new WindowsPortHolders(WindowsSimulator.LIBRARY.toString());
		int port = this.block.startPort();
		controls().winsim_tables_insufficient_next(WindowsPortHolders.ATTEMPTS - 2);
		assertThat(holders.find(Protocol.TCP, port)).singleElement()
			.satisfies((holder) -> assertThat(holder.pid()).isEqualTo(this.holder.pid()));
		controls().winsim_tables_insufficient_next(10 * WindowsPortHolders.ATTEMPTS);
		assertThat(holders.find(Protocol.TCP, port)).isEmpty();
		controls().winsim_tables_insufficient_next(0);
		// A JVM's socket on 127.0.0.1 is a dual-stack IPv6 socket: it is in the AF_INET6
		// table, so fail both.
		controls().winsim_tables_fail_next(IpHelper.ERROR_NOT_SUPPORTED, 2);
		assertThat(holders.find(Protocol.TCP, port)).isEmpty();
		assertThat(holders.find(Protocol.TCP, port)).hasSize(1);
		assertThat(new WindowsPortHolders("libm.so.6").find(Protocol.TCP, port)).isEmpty();
	}

	private static TableControls controls() {
		return Native.load(WindowsSimulator.LIBRARY.toString(), TableControls.class);
	}

	/** The table functions' test controls; see winsim_tables.c. */
	interface TableControls extends Library {

		void winsim_tables_insufficient_next(int calls);

		void winsim_tables_fail_next(int code, int calls);

	}

}
