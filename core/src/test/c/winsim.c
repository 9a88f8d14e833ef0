/*
 * Windows API simulator for the portreservation Windows backend.
 *
 * Exports WSAIoctl, WSAGetLastError and the six Persistent{Tcp,Udp}PortReservation functions of
 * ws2_32 / iphlpapi with the contract Microsoft documents, implemented over Linux sockets, so that the Java
 * backend runs unchanged through JNA on Linux:
 *
 *   - SOCKET is a pointer-sized unsigned integer (UINT_PTR); here it carries the Linux file descriptor.
 *   - INET_PORT_RANGE is 4 bytes, INET_PORT_RESERVATION_INSTANCE 16 bytes with the token at offset 8.
 *   - StartPort is in network byte order in and out (IOCTLs and the persistent functions). The simulator
 *     decodes it exactly as Windows does, so a missing or doubled htons on the Java side lands on a
 *     different block.
 *   - SIO_ACQUIRE_PORT_RESERVATION reserves a specific block (WSAEADDRINUSE when it overlaps a reservation
 *     or a port of it is bound) or, with StartPort 0, a free block chosen here inside the ephemeral range.
 *     A runtime reservation lives as long as the socket that acquired it.
 *   - SIO_ASSOCIATE_PORT_RESERVATION sets IP_LOCAL_PORT_RANGE on the socket, so the kernel's bind(port 0)
 *     picks inside the block and fails when the block is full. Persistent tokens need the admin flag.
 *   - Create / Delete need the admin flag (ERROR_ACCESS_DENIED), overlap gives ERROR_SHARING_VIOLATION,
 *     Lookup / Delete of an unknown block ERROR_NOT_FOUND, a zero or overflowing block
 *     ERROR_INVALID_PARAMETER.
 *   - The last WinSock error is thread-local, as on Windows; every simulated call clears it on entry.
 *
 * Test controls (not part of the Windows API): winsim_reset, winsim_set_admin, winsim_fail_next,
 * winsim_describe, winsim_runtime_count, winsim_layout, winsim_kernel_supported.
 *
 * What the simulator cannot do: keep sockets that were not associated off a reserved block (the JDK calls
 * the kernel's bind directly), and place a block outside /proc/sys/net/ipv4/ip_local_port_range (the kernel
 * ignores such an IP_LOCAL_PORT_RANGE; the Java backend checks every port it gets).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

#define EXPORT __attribute__((visibility("default")))

typedef uintptr_t SOCKET;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef uint16_t USHORT;
typedef uint64_t ULONG64;

/* mstcpip.h */
typedef struct {
	USHORT StartPort;
	USHORT NumberOfPorts;
} INET_PORT_RANGE;

typedef struct {
	ULONG64 Token __attribute__((aligned(8)));
} INET_PORT_RESERVATION_TOKEN;

typedef struct {
	INET_PORT_RANGE Reservation;
	INET_PORT_RESERVATION_TOKEN Token;
} INET_PORT_RESERVATION_INSTANCE;

_Static_assert(sizeof(INET_PORT_RANGE) == 4, "INET_PORT_RANGE is 4 bytes");
_Static_assert(sizeof(INET_PORT_RESERVATION_TOKEN) == 8, "INET_PORT_RESERVATION_TOKEN is 8 bytes");
_Static_assert(sizeof(INET_PORT_RESERVATION_INSTANCE) == 16, "INET_PORT_RESERVATION_INSTANCE is 16 bytes");
_Static_assert(offsetof(INET_PORT_RESERVATION_INSTANCE, Token) == 8, "Token at offset 8");

/* _WSAIOW(IOC_VENDOR, 100..102) */
#define SIO_ACQUIRE_PORT_RESERVATION 0x98000064u
#define SIO_RELEASE_PORT_RESERVATION 0x98000065u
#define SIO_ASSOCIATE_PORT_RESERVATION 0x98000066u

#define SOCKET_ERROR (-1)

#define NO_ERROR 0u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_SHARING_VIOLATION 32u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_NOT_FOUND 1168u
#define WSA_OPERATION_ABORTED 995u
#define WSAEINTR 10004u
#define WSAEACCES 10013u
#define WSAEFAULT 10014u
#define WSAEINVAL 10022u
#define WSAENOTSOCK 10038u
#define WSAEOPNOTSUPP 10045u
#define WSAEADDRINUSE 10048u

#define TCP 0
#define UDP 1
#define MAX_RESERVATIONS 512
#define MAX_PORT 65535u

struct reservation {
	int used;
	int protocol;
	unsigned start;
	unsigned count;
	ULONG64 token;
	/* runtime only: the acquiring socket, identified by descriptor and inode so a reused fd is not taken
	 * for the original socket */
	int runtime;
	int owner_fd;
	dev_t owner_dev;
	ino_t owner_ino;
	/* what ASSOCIATE sets as IP_LOCAL_PORT_RANGE, and the socket guarding a port next to the block */
	unsigned range_low;
	unsigned range_high;
	int guard_fd;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct reservation reservations[MAX_RESERVATIONS];
static int admin;
/* Above 2^63 on purpose: the Java side must treat tokens as unsigned. */
static ULONG64 next_token = 0xF00D000000000001ull;
static char fail_function[64];
static uint32_t fail_code;
static __thread uint32_t last_error;

/* ---------------------------------------------------------------- helpers */

static unsigned from_network(USHORT value) {
	return ntohs(value);
}

/* A block the persistent functions accept: a start port, at least one port, and no port beyond 65535. */
static int is_specific_block(unsigned start, unsigned count) {
	return start != 0 && count != 0 && start + count - 1 <= MAX_PORT;
}

static USHORT to_network(unsigned value) {
	return htons((uint16_t) value);
}

static int consume_forced_failure(const char *function, uint32_t *code) {
	if (fail_code != 0 && strcmp(fail_function, function) == 0) {
		*code = fail_code;
		fail_code = 0;
		fail_function[0] = '\0';
		return 1;
	}
	return 0;
}

static int owner_alive(const struct reservation *r) {
	struct stat st;
	if (fstat(r->owner_fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		return 0;
	}
	return st.st_dev == r->owner_dev && st.st_ino == r->owner_ino;
}

static void forget(struct reservation *r) {
	if (r->guard_fd >= 0) {
		close(r->guard_fd);
	}
	r->guard_fd = -1;
	r->used = 0;
}

/* Runtime reservations end with their socket, as on Windows. */
static void drop_dead_runtime_reservations(void) {
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		if (reservations[i].used && reservations[i].runtime && !owner_alive(&reservations[i])) {
			forget(&reservations[i]);
		}
	}
}

static int overlaps(int protocol, unsigned start, unsigned count) {
	unsigned end = start + count - 1;
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		const struct reservation *r = &reservations[i];
		if (r->used && r->protocol == protocol && r->start <= end && start <= r->start + r->count - 1) {
			return 1;
		}
	}
	return 0;
}

/* A socket bound to the port on every address, without SO_REUSEADDR, or -1 when someone holds the port. */
static int bind_port(int protocol, unsigned port) {
	int fd = socket(AF_INET6, (protocol == TCP) ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		return -1;
	}
	int zero = 0;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	struct sockaddr_in6 address;
	memset(&address, 0, sizeof(address));
	address.sin6_family = AF_INET6;
	address.sin6_addr = in6addr_any;
	address.sin6_port = htons((uint16_t) port);
	if (bind(fd, (struct sockaddr *) &address, sizeof(address)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int port_bound_by_someone(int protocol, unsigned port) {
	int fd = bind_port(protocol, port);
	if (fd < 0) {
		return 1;
	}
	close(fd);
	return 0;
}

/*
 * The range ASSOCIATE gives the kernel. Linux's TCP bind(port 0) scans an odd-sized range in pairs and never
 * reaches one of its ports (inet_csk_find_open_port rounds the count down to even), so an odd TCP block is
 * widened by one port that a guard socket of the simulator keeps busy: the kernel then reaches every port of
 * the block and never hands out the guarded one.
 */
static void choose_range(struct reservation *r) {
	r->range_low = r->start;
	r->range_high = r->start + r->count - 1;
	r->guard_fd = -1;
	if (r->protocol != TCP || r->count < 3 || (r->count & 1) == 0) {
		return;
	}
	if (r->range_high < MAX_PORT && (r->guard_fd = bind_port(TCP, r->range_high + 1)) >= 0) {
		r->range_high++;
	}
	else if (r->start > 1 && (r->guard_fd = bind_port(TCP, r->start - 1)) >= 0) {
		r->range_low--;
	}
}

static int any_port_bound(int protocol, unsigned start, unsigned count) {
	for (unsigned port = start; port < start + count; port++) {
		if (port_bound_by_someone(protocol, port)) {
			return 1;
		}
	}
	return 0;
}

static void ephemeral_range(unsigned *low, unsigned *high) {
	*low = 32768;
	*high = 60999;
	FILE *file = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (file != NULL) {
		if (fscanf(file, "%u %u", low, high) != 2) {
			*low = 32768;
			*high = 60999;
		}
		fclose(file);
	}
}

static struct reservation *find_token(ULONG64 token) {
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		if (reservations[i].used && reservations[i].token == token) {
			return &reservations[i];
		}
	}
	return NULL;
}

static struct reservation *find_persistent(int protocol, unsigned start, unsigned count) {
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		struct reservation *r = &reservations[i];
		if (r->used && !r->runtime && r->protocol == protocol && r->start == start && r->count == count) {
			return r;
		}
	}
	return NULL;
}

static struct reservation *new_reservation(int protocol, unsigned start, unsigned count) {
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		struct reservation *r = &reservations[i];
		if (!r->used) {
			memset(r, 0, sizeof(*r));
			r->used = 1;
			r->protocol = protocol;
			r->start = start;
			r->count = count;
			r->token = next_token++;
			choose_range(r);
			return r;
		}
	}
	return NULL;
}

/* The socket's protocol: TCP, UDP, or -1 with the WinSock error in *error. */
static int socket_protocol(int fd, uint32_t *error) {
	int domain = 0;
	int protocol = 0;
	socklen_t length = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0) {
		*error = WSAENOTSOCK;
		return -1;
	}
	length = sizeof(protocol);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &length) != 0) {
		*error = WSAENOTSOCK;
		return -1;
	}
	if ((domain != AF_INET && domain != AF_INET6) || (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)) {
		/* Port reservations exist for TCP and UDP only. */
		*error = WSAEOPNOTSUPP;
		return -1;
	}
	return (protocol == IPPROTO_TCP) ? TCP : UDP;
}

static int socket_is_bound(int fd) {
	struct sockaddr_storage address;
	socklen_t length = sizeof(address);
	if (getsockname(fd, (struct sockaddr *) &address, &length) != 0) {
		return 0;
	}
	if (address.ss_family == AF_INET6) {
		return ((struct sockaddr_in6 *) &address)->sin6_port != 0;
	}
	if (address.ss_family == AF_INET) {
		return ((struct sockaddr_in *) &address)->sin_port != 0;
	}
	return 0;
}

/* ---------------------------------------------------------------- ws2_32 */

static uint32_t acquire(int fd, int protocol, const void *in, DWORD in_size, void *out, DWORD out_size,
		DWORD *returned) {
	if (in == NULL || in_size < sizeof(INET_PORT_RANGE) || out == NULL
			|| out_size < sizeof(INET_PORT_RESERVATION_INSTANCE)) {
		return WSAEFAULT;
	}
	INET_PORT_RANGE range;
	memcpy(&range, in, sizeof(range));
	unsigned start = from_network(range.StartPort);
	unsigned count = range.NumberOfPorts;
	if (count == 0 || start + count - 1 > MAX_PORT) {
		return WSAEINVAL;
	}
	if (start == 0) {
		unsigned low;
		unsigned high;
		ephemeral_range(&low, &high);
		if (count > high - low + 1) {
			return WSAEADDRINUSE;
		}
		unsigned span = high - low + 1 - count + 1;
		unsigned first = low + (unsigned) (((unsigned) rand() ^ (unsigned) getpid()) % span);
		int found = 0;
		for (unsigned tried = 0; tried < span && !found; tried++) {
			unsigned candidate = low + ((first - low + tried) % span);
			if (!overlaps(protocol, candidate, count) && !any_port_bound(protocol, candidate, count)) {
				start = candidate;
				found = 1;
			}
		}
		if (!found) {
			return WSAEADDRINUSE;
		}
	}
	else if (overlaps(protocol, start, count) || any_port_bound(protocol, start, count)) {
		return WSAEADDRINUSE;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		return WSAENOTSOCK;
	}
	struct reservation *r = new_reservation(protocol, start, count);
	if (r == NULL) {
		return WSAEADDRINUSE;
	}
	r->runtime = 1;
	r->owner_fd = fd;
	r->owner_dev = st.st_dev;
	r->owner_ino = st.st_ino;
	INET_PORT_RESERVATION_INSTANCE instance;
	memset(&instance, 0, sizeof(instance));
	instance.Reservation.StartPort = to_network(start);
	instance.Reservation.NumberOfPorts = (USHORT) count;
	instance.Token.Token = r->token;
	memcpy(out, &instance, sizeof(instance));
	if (returned != NULL) {
		*returned = sizeof(instance);
	}
	return NO_ERROR;
}

static uint32_t release(int protocol, const void *in, DWORD in_size, DWORD *returned) {
	if (in == NULL || in_size < sizeof(INET_PORT_RESERVATION_TOKEN)) {
		return WSAEFAULT;
	}
	INET_PORT_RESERVATION_TOKEN token;
	memcpy(&token, in, sizeof(token));
	struct reservation *r = find_token(token.Token);
	if (r == NULL || !r->runtime || r->protocol != protocol) {
		return WSAEINVAL;
	}
	forget(r);
	if (returned != NULL) {
		*returned = 0;
	}
	return NO_ERROR;
}

static uint32_t associate(int fd, int protocol, const void *in, DWORD in_size, DWORD *returned) {
	if (in == NULL || in_size < sizeof(INET_PORT_RESERVATION_TOKEN)) {
		return WSAEFAULT;
	}
	if (socket_is_bound(fd)) {
		/* The IOCTL must come before bind. */
		return WSAEINVAL;
	}
	INET_PORT_RESERVATION_TOKEN token;
	memcpy(&token, in, sizeof(token));
	struct reservation *r = find_token(token.Token);
	if (r == NULL || r->protocol != protocol) {
		return WSAEINVAL;
	}
	if (!r->runtime && !admin) {
		return WSAEACCES;
	}
	uint32_t range = ((uint32_t) r->range_high << 16) | r->range_low;
	if (setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &range, sizeof(range)) != 0) {
		return WSAEOPNOTSUPP;
	}
	if (returned != NULL) {
		*returned = 0;
	}
	return NO_ERROR;
}

EXPORT int WSAIoctl(SOCKET s, DWORD code, void *in, DWORD in_size, void *out, DWORD out_size, DWORD *returned,
		void *overlapped, void *completion) {
	last_error = 0;
	uint32_t error = NO_ERROR;
	int fd = (int) s;
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	if (consume_forced_failure("WSAIoctl", &error)) {
		/* forced by a test */
	}
	else if (overlapped != NULL || completion != NULL) {
		/* The simulator only does the non-overlapped form the backend uses. */
		error = WSAEINVAL;
	}
	else {
		int protocol = socket_protocol(fd, &error);
		if (protocol >= 0) {
			switch (code) {
			case SIO_ACQUIRE_PORT_RESERVATION:
				error = acquire(fd, protocol, in, in_size, out, out_size, returned);
				break;
			case SIO_RELEASE_PORT_RESERVATION:
				error = release(protocol, in, in_size, returned);
				break;
			case SIO_ASSOCIATE_PORT_RESERVATION:
				error = associate(fd, protocol, in, in_size, returned);
				break;
			default:
				error = WSAEOPNOTSUPP;
				break;
			}
		}
	}
	pthread_mutex_unlock(&lock);
	if (error != NO_ERROR) {
		last_error = error;
		return SOCKET_ERROR;
	}
	return 0;
}

EXPORT int WSAGetLastError(void) {
	return (int) last_error;
}

/* ---------------------------------------------------------------- iphlpapi */

static ULONG create_persistent(const char *function, int protocol, USHORT start_port, USHORT count,
		ULONG64 *token) {
	ULONG error = NO_ERROR;
	unsigned start = from_network(start_port);
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	if (consume_forced_failure(function, &error)) {
		/* forced by a test */
	}
	else if (!admin) {
		error = ERROR_ACCESS_DENIED;
	}
	else if (!is_specific_block(start, count) || token == NULL) {
		error = ERROR_INVALID_PARAMETER;
	}
	else if (overlaps(protocol, start, count) || any_port_bound(protocol, start, count)) {
		error = ERROR_SHARING_VIOLATION;
	}
	else {
		struct reservation *r = new_reservation(protocol, start, count);
		if (r == NULL) {
			error = ERROR_SHARING_VIOLATION;
		}
		else {
			*token = r->token;
		}
	}
	pthread_mutex_unlock(&lock);
	return error;
}

static ULONG lookup_persistent(const char *function, int protocol, USHORT start_port, USHORT count,
		ULONG64 *token) {
	ULONG error = NO_ERROR;
	unsigned start = from_network(start_port);
	pthread_mutex_lock(&lock);
	if (consume_forced_failure(function, &error)) {
		/* forced by a test */
	}
	else if (!is_specific_block(start, count) || token == NULL) {
		error = ERROR_INVALID_PARAMETER;
	}
	else {
		struct reservation *r = find_persistent(protocol, start, count);
		if (r == NULL) {
			error = ERROR_NOT_FOUND;
		}
		else {
			*token = r->token;
		}
	}
	pthread_mutex_unlock(&lock);
	return error;
}

static ULONG delete_persistent(const char *function, int protocol, USHORT start_port, USHORT count) {
	ULONG error = NO_ERROR;
	unsigned start = from_network(start_port);
	pthread_mutex_lock(&lock);
	if (consume_forced_failure(function, &error)) {
		/* forced by a test */
	}
	else if (!admin) {
		error = ERROR_ACCESS_DENIED;
	}
	else if (!is_specific_block(start, count)) {
		error = ERROR_INVALID_PARAMETER;
	}
	else {
		struct reservation *r = find_persistent(protocol, start, count);
		if (r == NULL) {
			error = ERROR_NOT_FOUND;
		}
		else {
			forget(r);
		}
	}
	pthread_mutex_unlock(&lock);
	return error;
}

EXPORT ULONG CreatePersistentTcpPortReservation(USHORT start, USHORT count, ULONG64 *token) {
	return create_persistent("CreatePersistentTcpPortReservation", TCP, start, count, token);
}

EXPORT ULONG CreatePersistentUdpPortReservation(USHORT start, USHORT count, ULONG64 *token) {
	return create_persistent("CreatePersistentUdpPortReservation", UDP, start, count, token);
}

EXPORT ULONG LookupPersistentTcpPortReservation(USHORT start, USHORT count, ULONG64 *token) {
	return lookup_persistent("LookupPersistentTcpPortReservation", TCP, start, count, token);
}

EXPORT ULONG LookupPersistentUdpPortReservation(USHORT start, USHORT count, ULONG64 *token) {
	return lookup_persistent("LookupPersistentUdpPortReservation", UDP, start, count, token);
}

EXPORT ULONG DeletePersistentTcpPortReservation(USHORT start, USHORT count) {
	return delete_persistent("DeletePersistentTcpPortReservation", TCP, start, count);
}

EXPORT ULONG DeletePersistentUdpPortReservation(USHORT start, USHORT count) {
	return delete_persistent("DeletePersistentUdpPortReservation", UDP, start, count);
}

/* ---------------------------------------------------------------- test controls */

/* Forgets every reservation, turns the admin flag off and clears a pending forced failure. */
EXPORT void winsim_reset(void) {
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		if (reservations[i].used) {
			forget(&reservations[i]);
		}
	}
	admin = 0;
	fail_code = 0;
	fail_function[0] = '\0';
	pthread_mutex_unlock(&lock);
}

/* Whether the caller runs elevated (persistent create / delete / associate). */
EXPORT void winsim_set_admin(int elevated) {
	pthread_mutex_lock(&lock);
	admin = elevated;
	pthread_mutex_unlock(&lock);
}

/* The next call of the named function fails with this code (a WinSock error for WSAIoctl). */
EXPORT void winsim_fail_next(const char *function, uint32_t code) {
	pthread_mutex_lock(&lock);
	snprintf(fail_function, sizeof(fail_function), "%s", function);
	fail_code = code;
	pthread_mutex_unlock(&lock);
}

/* The block of a live reservation in host byte order: 1 when the token is known, else 0. */
EXPORT int winsim_describe(ULONG64 token, uint32_t *start, uint32_t *count, int *runtime) {
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	struct reservation *r = find_token(token);
	if (r != NULL) {
		*start = r->start;
		*count = r->count;
		*runtime = r->runtime;
	}
	pthread_mutex_unlock(&lock);
	return r != NULL;
}

/* How many runtime reservations are alive. */
EXPORT int winsim_runtime_count(void) {
	int live = 0;
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		live += reservations[i].used && reservations[i].runtime;
	}
	pthread_mutex_unlock(&lock);
	return live;
}

/* sizeof(INET_PORT_RANGE), sizeof(INET_PORT_RESERVATION_TOKEN), sizeof(INET_PORT_RESERVATION_INSTANCE),
 * offsetof(INET_PORT_RESERVATION_INSTANCE, Token), as this compiler lays them out. */
EXPORT void winsim_layout(int32_t *layout) {
	layout[0] = (int32_t) sizeof(INET_PORT_RANGE);
	layout[1] = (int32_t) sizeof(INET_PORT_RESERVATION_TOKEN);
	layout[2] = (int32_t) sizeof(INET_PORT_RESERVATION_INSTANCE);
	layout[3] = (int32_t) offsetof(INET_PORT_RESERVATION_INSTANCE, Token);
}

/* Whether this kernel has IP_LOCAL_PORT_RANGE (Linux 6.3+) on dual-stack sockets, which ASSOCIATE needs. */
EXPORT int winsim_kernel_supported(void) {
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0) {
		return 0;
	}
	uint32_t range = (40001u << 16) | 40000u;
	int supported = setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &range, sizeof(range)) == 0;
	close(fd);
	return supported;
}
