package dev.portreservation.portable;

import java.util.Optional;

import dev.portreservation.core.PortBlock;
import dev.portreservation.core.Protocol;

/**
 * Ports the operating system keeps for itself, which the portable fallback's blocks stay
 * clear of: on Windows the excluded port ranges (those Hyper-V / WinNAT / WSL / http.sys
 * hold, where binds fail, and administered ones, which belong to someone else). The
 * factory ({@link dev.portreservation.core.PortReservations#create}) supplies the
 * platform's; elsewhere the system keeps none.
 */
@FunctionalInterface
public interface SystemKeptPorts {

	/**
	 * @param protocol the protocol
	 * @param block a block
	 * @return what the system keeps of the block, as a sentence naming the ranges; empty
	 * when it keeps none of its ports
	 */
	Optional<String> keptOf(Protocol protocol, PortBlock block);

	/**
	 * @return a system that keeps no port
	 */
	static SystemKeptPorts none() {
		return (protocol, block) -> Optional.empty();
	}

}
