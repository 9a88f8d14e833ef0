package dev.portreservation.linux;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntPredicate;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;
import dev.portreservation.core.internal.GuardedBy;
import dev.portreservation.core.internal.PortLender;
import org.jspecify.annotations.Nullable;

/**
 * How a runtime block lends a port while its holder socket keeps it: the holder of a lent
 * TCP port admits {@code SO_REUSEADDR} binds only until the component listens, a lent
 * port whose component stops is given back at once, and a returned port's bind bucket is
 * taken back from any stranger who seeded it. Everything here runs under the
 * reservation's lock ({@link RuntimeBlockReservation} calls it from its hooks); the sets
 * are concurrent only because queries read them without it.
 */
@GuardedBy("the reservation's lock")
final class HeldPortLender implements PortLender {

	private final Protocol protocol;

	private final PortBlock block;

	/** The reservation's holders, by offset in the block; shared, not owned. */
	private final AtomicReferenceArray<NetworkChannel> holders;

	/** The reservation's native IPv6 holders, or {@code null}; shared, not owned. */
	private final Closeable @Nullable [] ipv6Holders;

	/** Asks the reservation's watcher for prompt refreshes. */
	private final Runnable promptCheck;

	/**
	 * Lent TCP ports whose holder admits {@code SO_REUSEADDR} binds.
	 */
	private final Set<Integer> openedToReuse = new ConcurrentSkipListSet<>();

	/**
	 * Lent TCP ports (holder open to {@code SO_REUSEADDR}) where a socket was seen
	 * listening: the component. When none listens any more the lend ends.
	 */
	private final Set<Integer> componentListening = new ConcurrentSkipListSet<>();

	/**
	 * Handed-off lent ports where a socket of this process was seen: the component. When
	 * it is gone the lend ends.
	 */
	private final Set<Integer> componentBound = new ConcurrentSkipListSet<>();

	/**
	 * When the kernel's socket list may next be read for a lent port: at most once a
	 * second per port, since a TCP list costs milliseconds.
	 */
	private final PerPortPace listing = new PerPortPace(1_000_000_000L);

	/**
	 * Returned lent TCP ports whose bind bucket could not be taken back yet (see
	 * {@link #reclaimBucket}); retried on every bind and refresh.
	 */
	private final Set<Integer> unreclaimed = new ConcurrentSkipListSet<>();

	HeldPortLender(Protocol protocol, PortBlock block, AtomicReferenceArray<NetworkChannel> holders,
			Closeable @Nullable [] ipv6Holders, Runnable promptCheck) {
		this.protocol = protocol;
		this.block = block;
		this.holders = holders;
		this.ipv6Holders = ipv6Holders;
		this.promptCheck = promptCheck;
	}

	/**
	 * Lends a port whose holder is still there. A TCP holder is opened to
	 * {@code SO_REUSEADDR} binds (the kernel checks the flag of bound sockets at each
	 * later bind): two sockets that both set it may share a port while neither listens,
	 * so the component binds and listens beside the holder, and once it listens every
	 * other bind of the port is refused again. A UDP holder stays as it is until the
	 * hand-off.
	 */
	@Override
	public boolean lend(int port) throws IOException {
		NetworkChannel holder = this.holders.get(port - this.block.startPort());
		if (holder == null) {
			return false;
		}
		if (this.protocol == Protocol.TCP) {
			holder.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			this.openedToReuse.add(port);
			// Watched every few milliseconds from now on: see stopped.
			this.promptCheck.run();
		}
		return true;
	}

	@Override
	public boolean verify(int port) throws IOException {
		boolean bound = LentPortCheck.componentBound(this.protocol, this.block, port, holdersOn(port));
		if (bound && this.holders.get(port - this.block.startPort()) == null) {
			this.componentBound.add(port);
		}
		else if (bound && this.openedToReuse.contains(port)
				&& Boolean.TRUE.equals(HolderSocket.refusesReuseAddress(port))) {
			// No stranger is there (checked above): the listener is the component.
			componentListens(port);
		}
		return bound;
	}

	/**
	 * The component listens on a lent port: its holder stops admitting
	 * {@code SO_REUSEADDR} binds. Until now every address the component does not listen
	 * on (the other family's loopback, say) took any user's {@code SO_REUSEADDR} bind and
	 * listen beside the holder; from now on the holder refuses them on every address,
	 * while the component listens and after it stops. The component's own bind and listen
	 * (no {@code SO_REUSEPORT}) also reset the bind bucket's fast-reuseport owner, so a
	 * seed left before it listened is gone too.
	 */
	private void componentListens(int port) {
		if (!this.componentListening.add(port)) {
			return;
		}
		NetworkChannel holder = this.holders.get(port - this.block.startPort());
		if (holder != null) {
			try {
				holder.setOption(StandardSocketOptions.SO_REUSEADDR, false);
			}
			catch (IOException ex) {
				// The holder stays open to the flag as before; the lend's end closes it.
			}
		}
	}

	/**
	 * A lent TCP port whose holder admits {@code SO_REUSEADDR} is asked on every refresh
	 * (every {@code 10 ms} while such a port is lent, see {@link #needsPromptCheck()})
	 * whether a socket still listens there, by one probe bind
	 * ({@link HolderSocket#refusesReuseAddress}): once the component that listened has
	 * closed, the holder would let any user's {@code SO_REUSEADDR} socket bind and
	 * listen, so the lend ends and the port is held exclusively again. A handed-off port
	 * (no holder) is checked through the kernel's socket list, at most once a second:
	 * once this process's socket on it is gone, the lend ends and a holder is made again.
	 */
	@Override
	public boolean stopped(int port) {
		if (this.openedToReuse.contains(port)) {
			Boolean listening = HolderSocket.refusesReuseAddress(port);
			if (listening == null) {
				return false;
			}
			if (listening) {
				if (!this.componentListening.contains(port) && this.listing.mayRun(port) && componentSeen(port)) {
					componentListens(port);
				}
				return false;
			}
			return this.componentListening.remove(port);
		}
		if (this.holders.get(port - this.block.startPort()) != null) {
			return false;
		}
		if (!this.listing.mayRun(port)) {
			return false;
		}
		try {
			if (LentPortCheck.componentBound(this.protocol, this.block, port, 0)) {
				this.componentBound.add(port);
				return false;
			}
			return this.componentBound.remove(port);
		}
		catch (IOException | RuntimeException ex) {
			// A stranger is there (CONFLICT, which verify() reports) or no list: keep it.
			return false;
		}
	}

	/**
	 * Whether the listener the probe found is this process's (read once per lend from the
	 * kernel's list): a stranger that listens and leaves must not end the lend.
	 */
	private boolean componentSeen(int port) {
		try {
			return LentPortCheck.componentBound(this.protocol, this.block, port, holdersOn(port));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * @return how many holder sockets of this reservation are on the port now
	 */
	private int holdersOn(int port) {
		int offset = port - this.block.startPort();
		int count = (this.holders.get(offset) != null) ? 1 : 0;
		if (this.ipv6Holders != null && this.ipv6Holders[offset] != null) {
			count++;
		}
		return count;
	}

	@Override
	public void handOff(int port) throws IOException {
		this.openedToReuse.remove(port);
		NetworkChannel holder = this.holders.getAndSet(port - this.block.startPort(), null);
		if (holder != null) {
			holder.close();
		}
	}

	/**
	 * A returned port whose holder is still there goes back to an exclusive hold if it
	 * was lent with its holder opened to {@code SO_REUSEADDR}. Only lent ports pay the
	 * system call: a bound channel's return is on the bind path.
	 * @param port the returned port
	 * @param holder its holder
	 * @return {@code false} when the holder cannot be closed to the flag again and must
	 * be replaced by the caller
	 */
	boolean returnedToHolder(int port, NetworkChannel holder) {
		if (this.openedToReuse.isEmpty() || !this.openedToReuse.remove(port)) {
			return true;
		}
		forget(port);
		try {
			holder.setOption(StandardSocketOptions.SO_REUSEADDR, false);
		}
		catch (IOException ex) {
			return false;
		}
		reclaimBucket(port);
		return true;
	}

	/**
	 * Forgets what was seen of a lent port's component; only lent ports have any, so a
	 * bound channel's return (on the bind path) costs three look-ups in empty sets.
	 * @param port a returned port
	 */
	void forget(int port) {
		this.componentListening.remove(port);
		this.componentBound.remove(port);
		this.listing.forget(port);
	}

	/**
	 * A stranger that bound beside the holder while it admitted {@code SO_REUSEADDR} may
	 * have left its uid in the port's bind bucket, which would let it listen here later
	 * ({@link HolderSocket#reclaimBucket}): take the bucket back, or retry on every
	 * refresh while a socket of this process without {@code SO_REUSEPORT} (the component,
	 * still listening after the port was given back) keeps the reclaiming bind out.
	 */
	private void reclaimBucket(int port) {
		try {
			HolderSocket.reclaimBucket(port);
			this.unreclaimed.remove(port);
		}
		catch (IOException ex) {
			this.unreclaimed.add(port);
		}
	}

	/**
	 * Retries the bind buckets not yet taken back; the bind path pays nothing for this
	 * unless a reclaim failed.
	 * @param leased whether a port is leased again (then its new lease decides)
	 */
	void maintain(IntPredicate leased) {
		if (this.unreclaimed.isEmpty()) {
			return;
		}
		for (int port : this.unreclaimed) {
			if (leased.test(port) || this.holders.get(port - this.block.startPort()) == null) {
				this.unreclaimed.remove(port);
			}
			else {
				reclaimBucket(port);
			}
		}
	}

	/**
	 * @return whether a lent port's holder admits {@code SO_REUSEADDR}, which the watcher
	 * must check within milliseconds
	 */
	boolean needsPromptCheck() {
		return !this.openedToReuse.isEmpty();
	}

	/** Forgets every lend: the reservation is released. */
	void clear() {
		this.openedToReuse.clear();
		this.unreclaimed.clear();
		this.componentListening.clear();
		this.componentBound.clear();
		this.listing.clear();
	}

}
