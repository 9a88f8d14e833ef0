#!/usr/bin/env bash
# Mutations of the Windows backend that the Windows test suites must kill. Each mutation is applied to a
# fresh copy of the sources (the working tree is never touched); the copy's Windows suites then run on the
# simulator: the JNA-only execution (default-test) and the preloaded ones under both readings of persistent
# blocks (windows-preload-tests, windows-preload-strict-tests).
# A mutation is KILLED when at least one test fails or errs, SURVIVED when all pass.
#
#   scripts/windows-mutations.sh            all mutations
#   scripts/windows-mutations.sh NAME...    some of them (names below)
#
# Needs what the tests need (JDK, Maven with the dependencies already downloaded, gcc, Linux 6.3+); the
# SocketHandle mutation is only visible in a 32-bit JVM (openjdk-17-jre-headless:i386 on Debian). Prints a
# Markdown table and exits non-zero when a mutation survived or could not be applied. MAVEN_REPO, when set, is
# the local Maven repository to use (-Dmaven.repo.local).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src=core/src/main/java/dev/portreservation/windows
repo=(${MAVEN_REPO:+-Dmaven.repo.local=$MAVEN_REPO})
# The suites of the windows package; the Tomcat / Netty / Jetty apps (WindowsBackendServers*Tests) take a minute
# per run on a busy machine and are left out: the contract suites already bind the way the servers do.
suites='dev.portreservation.windows.*Tests,!*PreloadTests'
preload_suites='dev.portreservation.windows.*PreloadTests'

# name|file|python expression applied to the file's text (s)|what it models
mutations=(
	"associate-removed|$src/WindowsPortReservation.java|s.replace('this.backend.associate(channel, this);', '', 2)|no SIO_ASSOCIATE_PORT_RESERVATION before any bind"
	"associate-removed-explicit-port|$src/WindowsPortReservation.java|s.replace('this.backend.associate(channel, this);', 'if (port == 0) { this.backend.associate(channel, this); }', 2)|no SIO_ASSOCIATE_PORT_RESERVATION before binds to an explicit port"
	"htons-removed-ioctl|$src/InetPortRange.java|s.replace('range.StartPort = NetworkByteOrder.toNetwork(startPort);', 'range.StartPort = (short) startPort;')|INET_PORT_RANGE.StartPort in host order (SIO_ACQUIRE_PORT_RESERVATION)"
	"htons-removed-iphelper|$src/WindowsPortReservations.java|s.replace('return NetworkByteOrder.toNetwork(block.startPort());', 'return (short) block.startPort();')|StartPort in host order for Create/Lookup/DeletePersistent*PortReservation"
	"release-skipped|$src/WindowsPortReservation.java|s.replace('error = this.backend.release(this.anchor, this.token);', 'error = 0;')|SIO_RELEASE_PORT_RESERVATION never issued on close"
	"token-ignored|$src/WindowsPortReservations.java|s.replace('InetPortReservationToken.of(reservation.token())', 'InetPortReservationToken.of(0)', 1)|ASSOCIATE passes a fixed token instead of the reservation's"
	"stdcall-dropped|$src/WinSock.java,$src/IpHelper.java|s.replace('extends StdCallLibrary', 'extends com.sun.jna.Library')|WinSock and IP Helper declared with the C convention (wrong on 32-bit Windows)"
	"socket-handle-8-bytes|$src/SocketHandle.java|s.replace('super(Native.POINTER_SIZE, value, true);', 'super(8, value, true);')|SOCKET fixed at 8 bytes instead of UINT_PTR"
	"persistent-claim-raised|$src/WindowsPortReservations.java|s.replace(': Enforcement.AUTOMATIC_ASSIGNMENT_AND_RESERVATIONS;', ': Enforcement.EVERY_BIND_WITHOUT_TOKEN;')|a persistent block claims that every bind without the token is refused"
	"lent-port-not-avoided|$src/WindowsPortReservation.java|s.replace('if (port == 0 && !this.lent.isEmpty()) {', 'if (false) {')|binds for any port let Windows pick, which may hand out a lent port"
	"build-gate-removed|$src/WindowsPortReservations.java|s.replace('WindowsBuild.of(load(ntDllLibrary, NtDll.class)).requireSupported();', '')|no Windows build check before the backend starts"
	"excluded-ranges-ignored|$src/WindowsPortReservations.java|s.replace('if (excluded.isEmpty()) {', 'if (true) {')|a block Windows chooses is kept even when it overlaps an excluded range"
)

wanted=("$@")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
echo "| Mutation | What it models | Result | Tests that failed |"
echo "|---|---|---|---|"
for mutation in "${mutations[@]}"; do
	IFS='|' read -r name files expression what <<<"$mutation"
	if [ "${#wanted[@]}" -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then
		continue
	fi
	copy="$work/$name"
	mkdir -p "$copy"
	tar -C "$root" --exclude=./.git --exclude='*/target' --exclude=./target -cf - . | tar -C "$copy" -xf -
	applied=yes
	IFS=',' read -r -a targets <<<"$files"
	for file in "${targets[@]}"; do
		if ! python3 - "$copy/$file" "$expression" <<'PY'
import sys
path, expression = sys.argv[1], sys.argv[2]
s = open(path).read()
mutated = eval(expression)
if mutated == s:
    sys.exit(1)
open(path, 'w').write(mutated)
PY
		then
			applied=no
		fi
	done
	if [ "$applied" = no ]; then
		echo "| \`$name\` | $what | NOT APPLIED (the code it mutates changed) | |"
		status=1
		continue
	fi
	log="$work/$name.log"
	if ! mvn -B -o -q "${repo[@]}" -Dspring-javaformat.skip=true -f "$copy/pom.xml" -pl core test-compile >"$log" 2>&1; then
		echo "| \`$name\` | $what | DOES NOT COMPILE | |"
		status=1
		continue
	fi
	# The JNA-only suites, then the *PreloadTests classes in the preload execution.
	mvn -B -o "${repo[@]}" -f "$copy/pom.xml" -pl core surefire:test@default-test "-Dtest=$suites" \
		-Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true >>"$log" 2>&1 || true
	for execution in windows-preload-tests windows-preload-strict-tests; do
		mvn -B -o "${repo[@]}" -f "$copy/pom.xml" -pl core "surefire:test@$execution" "-Dtest=$preload_suites" \
			-Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true >>"$log" 2>&1 || true
	done
	# The strict execution writes its reports to surefire-reports-strict.
	reports="$copy/core/target/surefire-reports*"
	failed="$(grep -l -E '<(failure|error)[ >]' $reports/TEST-*.xml 2>/dev/null \
		| xargs -r -n1 basename | sed -e 's/^TEST-dev\.portreservation\.//' -e 's/\.xml$//' | sort -u | paste -sd ' ' -)"
	run="$(grep -h -o '<testsuite [^>]*' $reports/TEST-*.xml 2>/dev/null \
		| sed -n 's/.* tests="\([0-9]*\)".*/\1/p' | awk '{ total += $1 } END { print total + 0 }')"
	if [ -n "$failed" ]; then
		echo "| \`$name\` | $what | KILLED ($run tests run) | $failed |"
	else
		echo "| \`$name\` | $what | SURVIVED ($run tests run) | |"
		status=1
	fi
done
exit "$status"
