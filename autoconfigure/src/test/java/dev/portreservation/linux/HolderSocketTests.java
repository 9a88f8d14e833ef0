package dev.portreservation.linux;

import java.io.Closeable;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.portreservation.core.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The holder's decision with the kernel's answers given: when SO_REUSEADDR is tried, and
 * that a hold the probe shows others could join is refused and let go rather than
 * claimed. (No kernel this was run on, 6.18, kept a "reuse fast path" open after the flag
 * was cleared, so the real sockets never take that branch; {@link OtherUserAttemptsTests}
 * shows the outcome on the real kernel.)
 */
class HolderSocketTests {

	private final List<String> calls = new ArrayList<>();

	@Test
	void anExclusiveBindIsAllThatIsTriedWhenItSucceeds() throws Exception {
		Held held = HolderSocket.hold(Protocol.TCP, 40000, (beside) -> bind(beside, false), () -> true);
		assertThat(this.calls).containsExactly("bind exclusive");
		assertThat(held.closed).isFalse();
	}

	@Test
	void aRefusedTcpBindIsTriedAgainBesideLeftoversAndKeptWhenNobodyCanJoin() throws Exception {
		Held held = HolderSocket.hold(Protocol.TCP, 40000, (beside) -> bind(beside, true), () -> probe(false));
		assertThat(this.calls).containsExactly("bind exclusive", "bind beside leftovers", "probe");
		assertThat(held.closed).isFalse();
	}

	@Test
	void aHoldOthersCouldJoinIsRefusedAndLetGo() {
		List<Held> made = new ArrayList<>();
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> HolderSocket.hold(Protocol.TCP, 40000, (beside) -> {
				Held held = bind(beside, true);
				made.add(held);
				return held;
			}, () -> probe(true)))
			.withMessageContaining("SO_REUSEADDR");
		assertThat(made).singleElement().satisfies((held) -> assertThat(held.closed).isTrue());
	}

	@Test
	void udpAndPrivilegedPortsAreNotTriedAgain() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> HolderSocket.hold(Protocol.UDP, 40000, (beside) -> bind(beside, true), () -> false));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> HolderSocket.hold(Protocol.TCP, 80, (beside) -> {
				throw new BindException("Permission denied");
			}, () -> false));
		assertThat(this.calls).containsExactly("bind exclusive");
	}

	private Held bind(boolean besideLeftovers, boolean exclusiveRefused) throws BindException {
		this.calls.add(besideLeftovers ? "bind beside leftovers" : "bind exclusive");
		if (!besideLeftovers && exclusiveRefused) {
			throw new BindException("Address already in use");
		}
		return new Held();
	}

	private boolean probe(boolean othersCanJoin) {
		this.calls.add("probe");
		return othersCanJoin;
	}

	private static final class Held implements Closeable {

		private boolean closed;

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
