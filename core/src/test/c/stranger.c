/*
 * The stranger of the Linux holder tests: run as another Unix user, it tries to take every port of a held
 * block in every way a socket can ask for one, and reports what the kernel let through.
 *
 *   stranger tcp|udp <startPort> <count>
 *
 * For each port: addresses 0.0.0.0, 127.0.0.1, ::, ::1; IPV6_V6ONLY off and on for the IPv6 ones;
 * SO_REUSEADDR off/on; SO_REUSEPORT off/on; for TCP bind only, and bind + listen. Prints one line per
 * success ("TAKEN ...") and last "ATTEMPTS <n> SUCCESSES <m>". Exit status 0 whatever the outcome.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *ADDRESSES[] = { "0.0.0.0", "127.0.0.1", "::", "::1" };

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: stranger tcp|udp <startPort> <count>\n");
		return 2;
	}
	int tcp = strcmp(argv[1], "tcp") == 0;
	int start = atoi(argv[2]);
	int count = atoi(argv[3]);
	long attempts = 0;
	long successes = 0;
	for (int port = start; port < start + count; port++) {
		for (int a = 0; a < 4; a++) {
			int ipv6 = strchr(ADDRESSES[a], ':') != NULL;
			for (int v6only = 0; v6only <= ipv6; v6only++) {
				for (int reuseaddr = 0; reuseaddr <= 1; reuseaddr++) {
					for (int reuseport = 0; reuseport <= 1; reuseport++) {
						for (int listening = 0; listening <= tcp; listening++) {
							int fd = socket(ipv6 ? AF_INET6 : AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
							if (fd < 0) {
								perror("socket");
								return 1;
							}
							attempts++;
							if (ipv6) {
								setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
							}
							setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuseaddr, sizeof reuseaddr);
							setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &reuseport, sizeof reuseport);
							int bound;
							if (ipv6) {
								struct sockaddr_in6 address = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
								inet_pton(AF_INET6, ADDRESSES[a], &address.sin6_addr);
								bound = bind(fd, (struct sockaddr *) &address, sizeof address);
							}
							else {
								struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
								inet_pton(AF_INET, ADDRESSES[a], &address.sin_addr);
								bound = bind(fd, (struct sockaddr *) &address, sizeof address);
							}
							if (bound == 0 && listening) {
								bound = listen(fd, 1);
							}
							if (bound == 0) {
								successes++;
								printf("TAKEN %s %s port %d v6only %d reuseaddr %d reuseport %d listen %d\n", argv[1],
										ADDRESSES[a], port, ipv6 ? v6only : -1, reuseaddr, reuseport, listening);
							}
							close(fd);
						}
					}
				}
			}
		}
	}
	printf("ATTEMPTS %ld SUCCESSES %ld\n", attempts, successes);
	return 0;
}
