package dev.portreservation.linux;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.portreservation.core.PortBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another local user tries to stop a user's runtime blocks through the shared
 * {@code /tmp}: it creates the name a process without {@code XDG_RUNTIME_DIR} would use
 * ({@code /tmp/portreservation-<uid>}) first, as a {@code 0700} or {@code 0777}
 * directory, a symbolic link or a plain file, and the next names too. The victim, root or
 * an unprivileged user, must still hold its block, and nothing of the victim's may end up
 * in the attacker's entries. And every process of one user, whatever its environment
 * ({@code XDG_RUNTIME_DIR} set or not, the old system property or not), must see the
 * others' claims. Real users ({@code prh2a} attacks, {@code prh2v} is the victim), in a
 * private {@code /tmp} ({@link PrivateTmp}); root only.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RuntimeDirectoryAttackTests {

	static final String VICTIM = "prh2v";

	private static final String PROPERTY = "-Dportreservation.linux.runtime-directory=";

	private final LinuxPortReservations backend = new LinuxPortReservations();

	private int victimUid;

	@BeforeEach
	void users() throws Exception {
		PrivateTmp.assumeAvailable();
		ThrowawayUser.ensure(ThrowawayUser.ATTACKER);
		this.victimUid = ThrowawayUser.ensure(VICTIM).uid();
	}

	/** What the attacker leaves where the victim's directory would be. */
	enum SetUp {

		DIRECTORY_0700("mkdir -m 700 %s"),

		DIRECTORY_0777("mkdir -m 777 %s"),

		SYMBOLIC_LINK("mkdir -p -m 777 /tmp/prh2-bait && chmod 777 /tmp/prh2-bait && ln -s /tmp/prh2-bait %s"),

		PLAIN_FILE("touch %s && chmod 666 %s");

		private final String command;

		SetUp(String command) {
			this.command = command;
		}

		String at(String path) {
			return this.command.replace("%s", path);
		}

	}

	@ParameterizedTest
	@EnumSource
	void rootStillHoldsItsBlock(SetUp setUp) throws Exception {
		victimHolds(setUp, null, 0);
	}

	@ParameterizedTest
	@EnumSource
	void anUnprivilegedUserStillHoldsItsBlock(SetUp setUp) throws Exception {
		victimHolds(setUp, VICTIM, this.victimUid);
	}

	@Test
	void theNamesAStepAroundWouldTryNextArePreCreatedToo() throws Exception {
		String base = "/tmp/portreservation-" + this.victimUid;
		StringBuilder setUp = new StringBuilder(attacker(SetUp.DIRECTORY_0777.at(base)));
		SetUp[] kinds = SetUp.values();
		for (int i = 1; i <= 12; i++) {
			String command = kinds[i % kinds.length].at(base + "." + i) + " && "
					+ kinds[(i + 1) % kinds.length].at(base + "-" + i);
			setUp.append(" && ").append(attacker(command));
		}
		PortBlock block = FreeBlocks.free(this.backend, 1);
		try (PrivateTmp tmp = new PrivateTmp()) {
			WorkerProcess victim = tmp.workerWithUmask(setUp.toString(), VICTIM, "000", null);
			assertThat(victim.send("hold tcp " + block.startPort() + " 1")).startsWith("HELD");
			assertNothingOfTheVictimsIsInTheAttackersEntries(tmp);
			// Under umask 000 too, what the victim made is its own alone.
			assertThat(tmp.run(null,
					"find /tmp -maxdepth 2 -path '/tmp/portreservation-*' -user " + VICTIM
							+ " -printf '%m %y %f\\n' | sort"))
				.as("the victim's directory, lock file and record")
				.isEqualTo("600 f " + victim.pid() + ".holders\n600 f tcp-netns-"
						+ LinuxPortReservations.networkNamespaceId() + ".lock\n700 d portreservation-" + this.victimUid
						+ ".13\n");
		}
	}

	@Test
	void rootsProcessesSeeEachOthersClaimsWhateverTheirEnvironment() throws Exception {
		PortBlock block = FreeBlocks.free(this.backend, 2);
		try (PrivateTmp tmp = new PrivateTmp()) {
			WorkerProcess first = tmp.worker("mkdir -m 700 /tmp/xdg-root", null, "/tmp/xdg-root",
					PROPERTY + "/tmp/property-root");
			assertThat(first.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD");
			assertRefusedNaming(tmp.worker("", null, null), block, first);
			assertRefusedNaming(tmp.worker("", null, "/tmp/xdg-root"), block, first);
			assertRefusedNaming(tmp.worker("", null, null, PROPERTY + "/tmp/property-root-2"), block, first);
			// And the other way round.
			assertThat(first.send("release")).isEqualTo("RELEASED");
			WorkerProcess plain = tmp.worker("", null, null);
			assertThat(plain.send("hold tcp " + block.endPort() + " 1")).startsWith("HELD");
			assertThat(first.send("hold tcp " + block.startPort() + " 2")).startsWith("FAILED CONFLICT")
				.contains("pid " + plain.pid() + " (");
		}
	}

	@Test
	void anUnprivilegedUsersProcessesSeeEachOthersClaimsAfterAStepAround() throws Exception {
		String base = "/tmp/portreservation-" + this.victimUid;
		String setUp = attacker(SetUp.DIRECTORY_0700.at(base)) + " && mkdir -m 700 /tmp/xdg-v && chown " + VICTIM
				+ " /tmp/xdg-v";
		PortBlock block = FreeBlocks.free(this.backend, 2);
		try (PrivateTmp tmp = new PrivateTmp()) {
			WorkerProcess first = tmp.worker(setUp, VICTIM, "/tmp/xdg-v");
			assertThat(first.send("hold tcp " + block.startPort() + " 2")).startsWith("HELD");
			WorkerProcess second = tmp.worker("", VICTIM, null);
			assertRefusedNaming(second, block, first);
			// The attacker gives its entry up: the name is free again, and a new process
			// of the victim may take it, but must still see the first one's claim.
			tmp.run(ThrowawayUser.ATTACKER, "rm -rf " + base);
			assertRefusedNaming(tmp.worker("", VICTIM, null), block, first);
			assertRefusedNaming(tmp.worker("", VICTIM, "/tmp/xdg-v"), block, first);
			assertRefusedNaming(tmp.worker("", VICTIM, null, PROPERTY + "/tmp/property-v"), block, first);
			assertNothingOfTheVictimsIsInTheAttackersEntries(tmp);
		}
	}

	private void victimHolds(SetUp setUp, String victim, long uid) throws Exception {
		String target = "/tmp/portreservation-" + uid;
		PortBlock block = FreeBlocks.free(this.backend, 1);
		try (PrivateTmp tmp = new PrivateTmp()) {
			WorkerProcess worker = tmp.worker(attacker(setUp.at(target)), victim, null);
			assertThat(worker.send("hold tcp " + block.startPort() + " 1")).as("%s at %s", setUp, target)
				.startsWith("HELD");
			// A second process of the victim finds the first one's claim.
			assertRefusedNaming(tmp.worker("", victim, null), block, worker);
			assertNothingOfTheVictimsIsInTheAttackersEntries(tmp);
		}
	}

	private static void assertRefusedNaming(WorkerProcess second, PortBlock block, WorkerProcess first)
			throws Exception {
		assertThat(second.send("hold tcp " + block.startPort() + " " + block.count())).startsWith("FAILED CONFLICT")
			.contains("held by another live process using this library")
			.contains("pid " + first.pid() + " (");
		second.close();
	}

	/**
	 * No file under an entry of the attacker (or behind its link) belongs to anyone else.
	 */
	private static void assertNothingOfTheVictimsIsInTheAttackersEntries(PrivateTmp tmp) throws Exception {
		String found = tmp.run(null,
				"find /tmp -user " + ThrowawayUser.ATTACKER + " -type d -exec find {} -mindepth 1 -not -user "
						+ ThrowawayUser.ATTACKER + " \\; ; find -L /tmp/prh2-bait -mindepth 1 2>/dev/null; true");
		assertThat(found.strip()).as("files of others under the attacker's entries").isEmpty();
	}

	private static String attacker(String command) {
		return String.join(" ", ThrowawayUser.ensure(ThrowawayUser.ATTACKER).prefix()) + " sh -c '" + command + "'";
	}

}
