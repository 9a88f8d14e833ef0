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
 * Test controls (not part of the Windows API): winsim_reset, winsim_set_admin, winsim_fail_next, winsim_fail_call,
 * winsim_describe, winsim_runtime_count, winsim_layout, winsim_kernel_supported, winsim_interposing,
 * winsim_last_raw_error, winsim_set_full_block_error, winsim_set_strict_persistent, winsim_strict_persistent,
 * winsim_set_version. It also exports ntdll's RtlGetVersion (the Windows build the backend gates on).
 *
 * Preloaded (LD_PRELOAD, the surefire execution "windows-preload-tests"), the same library also takes over
 * the socket calls the JDK makes itself -- bind, connect and close -- so that Windows' rules hold for every
 * socket of the JVM, not only for the calls the backend makes through JNA (see "socket calls of the JDK"
 * below; each rule names the Microsoft page it comes from, or says that it is our reading). Loaded by JNA
 * only (dlopen), nothing calls those exports and the JDK's sockets behave as on Linux.
 *
 * What the simulator cannot do: place a block outside /proc/sys/net/ipv4/ip_local_port_range (the kernel
 * ignores such an IP_LOCAL_PORT_RANGE; the Java backend checks every port it gets), and keep the implicit
 * bind of an unbound UDP socket's first sendto off a block (sendto and sendmsg are not interposed).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
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
#define WSAEADDRNOTAVAIL 10049u
#define WSAENOBUFS 10055u

#define TCP 0
#define UDP 1
#define MAX_RESERVATIONS 512
#define MAX_ASSOCIATIONS 1024
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

/* A socket that SIO_ASSOCIATE_PORT_RESERVATION tied to a reservation, and the port it was bound to. */
struct association {
	int used;
	int fd;
	dev_t dev;
	ino_t ino;
	ULONG64 token;
	unsigned port;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct reservation reservations[MAX_RESERVATIONS];
static struct association associations[MAX_ASSOCIATIONS];
/* How many associations are recorded; close() reads it without the lock to stay cheap for other fds. */
static volatile int associated_sockets;
/* How many runtime reservations are recorded, for the same reason. */
static volatile int runtime_reservations;
/* What bind answers when every port of the associated block is taken (winsim_set_full_block_error). */
static uint32_t full_block_error = WSAENOBUFS;
/* The Windows error of this thread's last interposed call, before the JDK's rewrite of WSAEACCES. */
static __thread uint32_t last_raw_error;
static int admin;
/*
 * R1b: whether an explicit bind of a port of a persistent block by a socket not associated with it is refused
 * (1, the stricter reading) or succeeds while the port is free (0, what users report for administered
 * exclusions). -1 until read from the environment variable WINSIM_PERSISTENT_BINDS ("refused" or "allowed",
 * default "allowed"); winsim_set_strict_persistent overrides it, winsim_reset goes back to the environment.
 */
static int strict_persistent = -1;
/* The Windows build RtlGetVersion reports (winsim_set_build); 0 makes RtlGetVersion fail. */
static uint32_t build_number = 20348;
static uint32_t major_version = 10;
/* Above 2^63 on purpose: the Java side must treat tokens as unsigned. */
static ULONG64 next_token = 0xF00D000000000001ull;
/* Failures forced by tests: the call of `function` after `skip` others of it fails with `code`. */
#define MAX_FORCED 4
static struct {
	char function[64];
	uint32_t code;
	int skip;
} forced[MAX_FORCED];
static __thread uint32_t last_error;

/* ---------------------------------------------------------------- the C library's own socket calls */

/*
 * Preloaded, this library's bind / connect / close come first in the process, so the simulator itself must
 * reach the C library's: the next definition after this library (RTLD_NEXT), or, when this library was only
 * dlopen'ed and is not in front, the process's default one.
 */
typedef int (*bind_function)(int, const struct sockaddr *, socklen_t);
typedef int (*close_function)(int);

static void *libc_function(const char *name) {
	void *function = dlsym(RTLD_NEXT, name);
	return (function != NULL) ? function : dlsym(RTLD_DEFAULT, name);
}

static int real_bind(int fd, const struct sockaddr *address, socklen_t length) {
	static bind_function function;
	if (function == NULL) {
		function = (bind_function) libc_function("bind");
	}
	return function(fd, address, length);
}

static int real_connect(int fd, const struct sockaddr *address, socklen_t length) {
	static bind_function function;
	if (function == NULL) {
		function = (bind_function) libc_function("connect");
	}
	return function(fd, address, length);
}

static int real_close(int fd) {
	static close_function function;
	if (function == NULL) {
		function = (close_function) libc_function("close");
	}
	return function(fd);
}

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
	for (int i = 0; i < MAX_FORCED; i++) {
		if (forced[i].code != 0 && strcmp(forced[i].function, function) == 0) {
			if (forced[i].skip > 0) {
				forced[i].skip--;
				continue;
			}
			*code = forced[i].code;
			forced[i].code = 0;
			forced[i].function[0] = '\0';
			return 1;
		}
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
	if (r->runtime) {
		__atomic_sub_fetch(&runtime_reservations, 1, __ATOMIC_SEQ_CST);
		r->runtime = 0;
	}
	if (r->guard_fd >= 0) {
		real_close(r->guard_fd);
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
	if (real_bind(fd, (struct sockaddr *) &address, sizeof(address)) != 0) {
		real_close(fd);
		return -1;
	}
	return fd;
}

static int port_bound_by_someone(int protocol, unsigned port) {
	int fd = bind_port(protocol, port);
	if (fd < 0) {
		return 1;
	}
	real_close(fd);
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

static int socket_identity(int fd, dev_t *dev, ino_t *ino) {
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		return 0;
	}
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 1;
}

static void forget_association(struct association *a) {
	a->used = 0;
	__atomic_sub_fetch(&associated_sockets, 1, __ATOMIC_SEQ_CST);
}

/* The association of this socket (not of an earlier socket that had the same descriptor), or NULL. */
static struct association *find_association(int fd) {
	dev_t dev;
	ino_t ino;
	if (!socket_identity(fd, &dev, &ino)) {
		return NULL;
	}
	for (int i = 0; i < MAX_ASSOCIATIONS; i++) {
		struct association *a = &associations[i];
		if (a->used && a->fd == fd) {
			if (a->dev == dev && a->ino == ino) {
				return a;
			}
			forget_association(a);
		}
	}
	return NULL;
}

static int remember_association(int fd, ULONG64 token) {
	struct association *a = find_association(fd);
	for (int i = 0; a == NULL && i < MAX_ASSOCIATIONS; i++) {
		if (!associations[i].used) {
			a = &associations[i];
			a->used = 1;
			__atomic_add_fetch(&associated_sockets, 1, __ATOMIC_SEQ_CST);
		}
	}
	if (a == NULL || !socket_identity(fd, &a->dev, &a->ino)) {
		return 0;
	}
	a->fd = fd;
	a->token = token;
	a->port = 0;
	return 1;
}

/* Whether a live socket associated with this reservation holds the port. */
static int port_taken_through(ULONG64 token, unsigned port) {
	for (int i = 0; i < MAX_ASSOCIATIONS; i++) {
		struct association *a = &associations[i];
		if (a->used && a->token == token && a->port == port) {
			dev_t dev;
			ino_t ino;
			if (socket_identity(a->fd, &dev, &ino) && dev == a->dev && ino == a->ino) {
				return 1;
			}
			forget_association(a);
		}
	}
	return 0;
}

/* The live reservation of this protocol whose block holds the port, or NULL. */
static struct reservation *reservation_of_port(int protocol, unsigned port) {
	for (int i = 0; i < MAX_RESERVATIONS; i++) {
		struct reservation *r = &reservations[i];
		if (r->used && r->protocol == protocol && r->start <= port && port <= r->start + r->count - 1) {
			return r;
		}
	}
	return NULL;
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
	__atomic_add_fetch(&runtime_reservations, 1, __ATOMIC_SEQ_CST);
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
	if (!remember_association(fd, r->token)) {
		return WSAENOBUFS;
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
	last_raw_error = error;
	if (error != NO_ERROR) {
		last_error = error;
		/* On Windows the WinSock error is the thread's last error (what JNA's Native.getLastError() reads);
		 * on Linux JNA reads errno. */
		errno = (int) error;
		return SOCKET_ERROR;
	}
	return 0;
}

EXPORT int WSAGetLastError(void) {
	return (int) last_error;
}

/* ---------------------------------------------------------------- socket calls of the JDK (preloaded only)
 *
 * The rules, each with the Microsoft page it comes from ("our reading" where the page leaves it open):
 *
 * R1 A port of a reserved block goes only to a socket associated with that reservation; any other bind to it
 *    fails with WSAEACCES. Our reading: the pages say what associated sockets get, not what others get; the
 *    WSAEACCES (10013) is what binds into excluded port ranges answer ("netsh int ipv4 show
 *    excludedportrange", where persistent blocks appear). The stranger test on the real runner checks it.
 *    https://learn.microsoft.com/windows/win32/winsock/sio-acquire-port-reservation
 * R1b R1 holds for runtime blocks. For a persistent block (an administered exclusion, '*' in the netsh
 *    listing) users report the opposite: an explicit bind by a socket that is not associated succeeds while the
 *    port is free (microsoft/msquic#2891 "Binding a socket to this port works without issues"; admins add
 *    excluded ranges so that their own server can bind there). Only msquic's docs/CIBIR.md says such a bind is
 *    refused. The simulator follows the users by default and the stricter reading with
 *    WINSIM_PERSISTENT_BINDS=refused (the surefire execution windows-preload-strict-tests); the real runner
 *    (WindowsOnRealWindowsTests) measures which one holds.
 * R2 An associated socket's bind(port 0) gets a port of its block: "If and when the socket is bound, the port
 *    assigned to it will be selected from the port reservation identified by the given token."
 *    https://learn.microsoft.com/windows/win32/winsock/sio-associate-port-reservation
 * R3 "If no ports are available from the specified reservation, the bind function call will fail." (same
 *    page). The code is our reading: WSAENOBUFS by default, WSAEADDRINUSE by winsim_set_full_block_error.
 * R4 The IOCTL "must be issued before the socket is bound": ASSOCIATE of a bound socket fails (same page);
 *    the code, WSAEINVAL, is our reading.
 * R5 A released runtime block (SIO_RELEASE_PORT_RESERVATION), one whose acquiring socket closed ("Runtime port
 *    reservations last only as long as the lifetime of the socket", sio-acquire-port-reservation) and a
 *    deleted persistent block (DeletePersistentTcpPortReservation) no longer hold their ports. Our reading:
 *    a socket associated with such a block binds like any other socket.
 *    https://learn.microsoft.com/windows/win32/winsock/sio-release-port-reservation
 *    https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-deletepersistenttcpportreservation
 * R6 Creating, deleting and associating a persistent block need an elevated administrator (ERROR_ACCESS_DENIED,
 *    WSAEACCES); implemented above in create_persistent, delete_persistent and associate.
 *    https://learn.microsoft.com/windows/win32/api/iphlpapi/nf-iphlpapi-createpersistenttcpportreservation
 * R7 WSAGetLastError returns "the error code for this thread's last Windows Sockets operation that failed";
 *    every simulated call sets it (0 on success: our reading of "some functions may reset the last extended
 *    error code to 0 if they succeed") and errno, which JNA's Native.getLastError() reads on Linux as it reads
 *    GetLastError() on Windows (that WinSock's error is the thread's Win32 last error is our reading).
 *    https://learn.microsoft.com/windows/win32/api/winsock/nf-winsock-wsagetlasterror
 * R8 The JDK on Windows rewrites a bind's WSAEACCES to WSAEADDRINUSE before throwing (NET_Bind in
 *    java.base/windows/native/libnet/net_util_md.c): the caller sees BindException "Address already in use"
 *    and WSAGetLastError() answers WSAEADDRINUSE. The simulator reproduces that, keeping the raw code for
 *    winsim_last_raw_error.
 * R9 A bind(0) or the implicit bind of connect() of a socket that is not associated never lands in a block
 *    (the kernel is given a port range around the blocks). Our reading of "reserved".
 */

/* R1b: the rule for unassociated explicit binds into persistent blocks; see strict_persistent. Under the lock. */
static int persistent_binds_refused(void) {
	if (strict_persistent < 0) {
		const char *rule = getenv("WINSIM_PERSISTENT_BINDS");
		strict_persistent = (rule != NULL && strcmp(rule, "refused") == 0) ? 1 : 0;
	}
	return strict_persistent;
}

static int sockaddr_port(const struct sockaddr *address, socklen_t length, unsigned *port) {
	if (address == NULL) {
		return 0;
	}
	if (address->sa_family == AF_INET && length >= (socklen_t) sizeof(struct sockaddr_in)) {
		*port = ntohs(((const struct sockaddr_in *) address)->sin_port);
		return 1;
	}
	if (address->sa_family == AF_INET6 && length >= (socklen_t) sizeof(struct sockaddr_in6)) {
		*port = ntohs(((const struct sockaddr_in6 *) address)->sin6_port);
		return 1;
	}
	return 0;
}

static void sockaddr_set_port(struct sockaddr_storage *address, unsigned port) {
	if (address->ss_family == AF_INET) {
		((struct sockaddr_in *) address)->sin_port = htons((uint16_t) port);
	}
	else {
		((struct sockaddr_in6 *) address)->sin6_port = htons((uint16_t) port);
	}
}

static uint32_t winsock_error_of(int error) {
	switch (error) {
	case EADDRINUSE:
		return WSAEADDRINUSE;
	case EADDRNOTAVAIL:
		return WSAEADDRNOTAVAIL;
	case EACCES:
		return WSAEACCES;
	case ENOBUFS:
		return WSAENOBUFS;
	case ENOTSOCK:
		return WSAENOTSOCK;
	default:
		return WSAEINVAL;
	}
}

/* Sets what the JDK sees after a failed bind on Windows (R7, R8) and returns -1. */
static int failed_bind(uint32_t error, int linux_error) {
	last_raw_error = error;
	uint32_t seen = (error == WSAEACCES) ? WSAEADDRINUSE : error;
	last_error = seen;
	switch (seen) {
	case WSAEADDRINUSE:
		errno = EADDRINUSE;
		break;
	case WSAEADDRNOTAVAIL:
		errno = EADDRNOTAVAIL;
		break;
	case WSAENOBUFS:
		errno = ENOBUFS;
		break;
	default:
		errno = (linux_error != 0) ? linux_error : EINVAL;
		break;
	}
	return -1;
}

/* R2, R3: the first port of the block that no associated socket holds and the kernel lets this socket bind. */
static int bind_in_block(int fd, const struct sockaddr *address, socklen_t length, struct reservation *r,
		struct association *a) {
	struct sockaddr_storage copy;
	memset(&copy, 0, sizeof(copy));
	memcpy(&copy, address, (length < sizeof(copy)) ? length : sizeof(copy));
	for (unsigned port = r->start; port <= r->start + r->count - 1; port++) {
		if (port_taken_through(r->token, port)) {
			continue;
		}
		sockaddr_set_port(&copy, port);
		if (real_bind(fd, (struct sockaddr *) &copy, length) == 0) {
			a->port = port;
			return 0;
		}
		if (errno != EADDRINUSE) {
			int error = errno;
			return failed_bind(winsock_error_of(error), error);
		}
	}
	return failed_bind(full_block_error, 0);
}

/*
 * R9: the widest run of ports of [low, high] outside every block of the protocol, or 0 when the blocks cover
 * all of it.
 */
static int free_run(int protocol, unsigned low, unsigned high, unsigned *run_low, unsigned *run_high) {
	unsigned best_low = 0;
	unsigned best_high = 0;
	unsigned port = low;
	while (port <= high) {
		struct reservation *r = reservation_of_port(protocol, port);
		if (r != NULL) {
			port = r->start + r->count;
			continue;
		}
		/* The free run ends where the next block starts. */
		unsigned next = high + 1;
		for (int i = 0; i < MAX_RESERVATIONS; i++) {
			const struct reservation *other = &reservations[i];
			if (other->used && other->protocol == protocol && other->start > port && other->start < next) {
				next = other->start;
			}
		}
		unsigned end = next - 1;
		if (best_high == 0 || end - port > best_high - best_low) {
			best_low = port;
			best_high = end;
		}
		port = next;
	}
	*run_low = best_low;
	*run_high = best_high;
	return best_high != 0;
}

/*
 * R9: lets the kernel pick only outside the blocks, within the range the socket already had (or the
 * ephemeral range). Returns 0, or the WinSock error when no port is left outside the blocks.
 */
static uint32_t steer_automatic_port(int fd, int protocol, uint32_t *previous) {
	socklen_t length = sizeof(*previous);
	*previous = 0;
	getsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, previous, &length);
	unsigned low;
	unsigned high;
	ephemeral_range(&low, &high);
	unsigned asked_low = *previous & 0xFFFF;
	unsigned asked_high = *previous >> 16;
	if (asked_low != 0 && asked_low > low) {
		low = asked_low;
	}
	if (asked_high != 0 && asked_high < high) {
		high = asked_high;
	}
	unsigned run_low;
	unsigned run_high;
	if (low > high || !free_run(protocol, low, high, &run_low, &run_high)) {
		return WSAENOBUFS;
	}
	uint32_t range = ((uint32_t) run_high << 16) | run_low;
	setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &range, sizeof(range));
	return NO_ERROR;
}

EXPORT int bind(int fd, const struct sockaddr *address, socklen_t length) {
	unsigned port;
	uint32_t ignored;
	if (!sockaddr_port(address, length, &port)) {
		return real_bind(fd, address, length);
	}
	int protocol = socket_protocol(fd, &ignored);
	if (protocol < 0) {
		return real_bind(fd, address, length);
	}
	int result;
	uint32_t forced = 0;
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	struct association *a = find_association(fd);
	struct reservation *mine = (a != NULL) ? find_token(a->token) : NULL;
	struct reservation *owner = (port != 0) ? reservation_of_port(protocol, port) : NULL;
	if (consume_forced_failure("bind", &forced)) {
		result = failed_bind(forced, 0);
	}
	else if (mine != NULL && port == 0) {
		result = bind_in_block(fd, address, length, mine, a);
	}
	else if (owner != NULL && owner != mine && (owner->runtime || persistent_binds_refused())) {
		result = failed_bind(WSAEACCES, 0);
	}
	else if (owner != NULL && port_taken_through(owner->token, port)) {
		result = failed_bind(WSAEADDRINUSE, 0);
	}
	else if (port == 0) {
		uint32_t previous;
		uint32_t error = steer_automatic_port(fd, protocol, &previous);
		if (error != NO_ERROR) {
			result = failed_bind(error, 0);
		}
		else {
			result = real_bind(fd, address, length);
			int saved = errno;
			setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &previous, sizeof(previous));
			result = (result == 0) ? 0 : failed_bind(winsock_error_of(saved), saved);
		}
	}
	else {
		result = real_bind(fd, address, length);
		if (result == 0 && a != NULL) {
			a->port = port;
		}
		else if (result != 0) {
			int saved = errno;
			result = failed_bind(winsock_error_of(saved), saved);
		}
	}
	pthread_mutex_unlock(&lock);
	if (result == 0) {
		last_error = 0;
		last_raw_error = 0;
	}
	return result;
}

EXPORT int connect(int fd, const struct sockaddr *address, socklen_t length) {
	uint32_t ignored;
	int protocol = socket_protocol(fd, &ignored);
	if (protocol < 0 || socket_is_bound(fd)) {
		return real_connect(fd, address, length);
	}
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	uint32_t previous = 0;
	uint32_t error = NO_ERROR;
	if (find_association(fd) == NULL) {
		error = steer_automatic_port(fd, protocol, &previous);
	}
	pthread_mutex_unlock(&lock);
	if (error != NO_ERROR) {
		last_error = error;
		last_raw_error = error;
		errno = EADDRNOTAVAIL;
		return -1;
	}
	/* connect may block: the lock is not held while it runs. */
	return real_connect(fd, address, length);
}

/* R5: a closed socket's association, and the runtime reservation it acquired, end with it. */
EXPORT int close(int fd) {
	if (__atomic_load_n(&associated_sockets, __ATOMIC_SEQ_CST) > 0
			|| __atomic_load_n(&runtime_reservations, __ATOMIC_SEQ_CST) > 0) {
		pthread_mutex_lock(&lock);
		dev_t dev;
		ino_t ino;
		if (socket_identity(fd, &dev, &ino)) {
			for (int i = 0; i < MAX_ASSOCIATIONS; i++) {
				struct association *a = &associations[i];
				if (a->used && a->fd == fd && a->dev == dev && a->ino == ino) {
					forget_association(a);
				}
			}
			for (int i = 0; i < MAX_RESERVATIONS; i++) {
				struct reservation *r = &reservations[i];
				if (r->used && r->runtime && r->owner_fd == fd && r->owner_dev == dev && r->owner_ino == ino) {
					forget(r);
				}
			}
		}
		pthread_mutex_unlock(&lock);
	}
	return real_close(fd);
}

/* ---------------------------------------------------------------- iphlpapi */

/*
 * The checks every persistent call begins with, in Windows' order: a failure forced by a test, elevation (for
 * the calls that need it), a specific block and, where the call returns a token, somewhere to put it. Returns 1
 * with *error set when the call stops here. Called under the lock.
 */
static int persistent_call_refused(const char *function, int needs_admin, unsigned start, USHORT count,
		int token_missing, ULONG *error) {
	if (consume_forced_failure(function, error)) {
		/* forced by a test */
		return 1;
	}
	if (needs_admin && !admin) {
		*error = ERROR_ACCESS_DENIED;
		return 1;
	}
	if (!is_specific_block(start, count) || token_missing) {
		*error = ERROR_INVALID_PARAMETER;
		return 1;
	}
	return 0;
}

/*
 * The persistent reservation a lookup or a delete is about, after persistent_call_refused's checks; NULL with
 * *error set (ERROR_NOT_FOUND when there is none) when the call stops. Called under the lock.
 */
static struct reservation *persistent_of_call(const char *function, int needs_admin, int protocol,
		USHORT start_port, USHORT count, int token_missing, ULONG *error) {
	unsigned start = from_network(start_port);
	if (persistent_call_refused(function, needs_admin, start, count, token_missing, error)) {
		return NULL;
	}
	struct reservation *r = find_persistent(protocol, start, count);
	if (r == NULL) {
		*error = ERROR_NOT_FOUND;
	}
	return r;
}

static ULONG create_persistent(const char *function, int protocol, USHORT start_port, USHORT count,
		ULONG64 *token) {
	ULONG error = NO_ERROR;
	unsigned start = from_network(start_port);
	pthread_mutex_lock(&lock);
	drop_dead_runtime_reservations();
	if (persistent_call_refused(function, 1, start, count, token == NULL, &error)) {
		/* error says why */
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
	pthread_mutex_lock(&lock);
	struct reservation *r = persistent_of_call(function, 0, protocol, start_port, count, token == NULL, &error);
	if (r != NULL) {
		*token = r->token;
	}
	pthread_mutex_unlock(&lock);
	return error;
}

static ULONG delete_persistent(const char *function, int protocol, USHORT start_port, USHORT count) {
	ULONG error = NO_ERROR;
	pthread_mutex_lock(&lock);
	struct reservation *r = persistent_of_call(function, 1, protocol, start_port, count, 0, &error);
	if (r != NULL) {
		forget(r);
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
	for (int i = 0; i < MAX_ASSOCIATIONS; i++) {
		if (associations[i].used) {
			forget_association(&associations[i]);
		}
	}
	admin = 0;
	strict_persistent = -1;
	build_number = 20348;
	major_version = 10;
	full_block_error = WSAENOBUFS;
	memset(forced, 0, sizeof(forced));
	pthread_mutex_unlock(&lock);
}

/* Whether the caller runs elevated (persistent create / delete / associate). */
EXPORT void winsim_set_admin(int elevated) {
	pthread_mutex_lock(&lock);
	admin = elevated;
	pthread_mutex_unlock(&lock);
}

/* The call of the named function after `skip` others of it fails with this code (a WinSock error for WSAIoctl
 * and bind). Up to four failures can be pending. */
EXPORT void winsim_fail_call(const char *function, int skip, uint32_t code) {
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_FORCED; i++) {
		if (forced[i].code == 0) {
			snprintf(forced[i].function, sizeof(forced[i].function), "%s", function);
			forced[i].code = code;
			forced[i].skip = skip;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* The next call of the named function fails with this code. */
EXPORT void winsim_fail_next(const char *function, uint32_t code) {
	winsim_fail_call(function, 0, code);
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
	real_close(fd);
	return supported;
}

/* Whether this library's bind, connect and close are the ones the process calls (it was preloaded). */
EXPORT int winsim_interposing(void) {
	Dl_info mine;
	Dl_info found;
	void *bind_in_process = dlsym(RTLD_DEFAULT, "bind");
	if (bind_in_process == NULL || dladdr((void *) &sockaddr_port, &mine) == 0
			|| dladdr(bind_in_process, &found) == 0) {
		return 0;
	}
	return mine.dli_fbase == found.dli_fbase;
}

/* The Windows error of this thread's last simulated call, before the JDK's rewrite of WSAEACCES (R8). */
EXPORT uint32_t winsim_last_raw_error(void) {
	return last_raw_error;
}

/* What bind answers when every port of the associated block is taken (R3); winsim_reset restores WSAENOBUFS. */
EXPORT void winsim_set_full_block_error(uint32_t code) {
	pthread_mutex_lock(&lock);
	full_block_error = code;
	pthread_mutex_unlock(&lock);
}

/* R1b: 1 refuses unassociated explicit binds into persistent blocks, 0 lets them bind a free port, -1 goes back
 * to WINSIM_PERSISTENT_BINDS. */
EXPORT void winsim_set_strict_persistent(int strict) {
	pthread_mutex_lock(&lock);
	strict_persistent = strict;
	pthread_mutex_unlock(&lock);
}

/* The rule in force for persistent blocks: 1 stricter reading, 0 looser reading. */
EXPORT int winsim_strict_persistent(void) {
	pthread_mutex_lock(&lock);
	int strict = persistent_binds_refused();
	pthread_mutex_unlock(&lock);
	return strict;
}

/* The Windows version RtlGetVersion reports; a build of 0 makes it fail with STATUS_INVALID_PARAMETER.
 * winsim_reset restores 10.0.20348 (Windows Server 2022). */
EXPORT void winsim_set_version(uint32_t major, uint32_t build) {
	pthread_mutex_lock(&lock);
	major_version = major;
	build_number = build;
	pthread_mutex_unlock(&lock);
}

/* ---------------------------------------------------------------- ntdll */

/* winnt.h: OSVERSIONINFOEXW, 284 bytes (5 DWORDs, 128 WCHARs, 2 WORDs, 2 BYTEs). */
typedef struct {
	uint32_t dwOSVersionInfoSize;
	uint32_t dwMajorVersion;
	uint32_t dwMinorVersion;
	uint32_t dwBuildNumber;
	uint32_t dwPlatformId;
	uint16_t szCSDVersion[128];
	uint16_t wServicePackMajor;
	uint16_t wServicePackMinor;
	uint16_t wSuiteMask;
	uint8_t wProductType;
	uint8_t wReserved;
} OSVERSIONINFOEXW;

_Static_assert(sizeof(OSVERSIONINFOEXW) == 284, "OSVERSIONINFOEXW is 284 bytes");

#define STATUS_SUCCESS 0
#define STATUS_INVALID_PARAMETER ((int32_t) 0xC000000Du)

/*
 * RtlGetVersion fills the structure whose dwOSVersionInfoSize says OSVERSIONINFOW (276 bytes) or
 * OSVERSIONINFOEXW (284 bytes) and returns STATUS_SUCCESS; it does not lie about the version the way
 * GetVersionEx does for programs without a compatibility manifest.
 * https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-rtlgetversion
 */
EXPORT int32_t RtlGetVersion(OSVERSIONINFOEXW *info) {
	pthread_mutex_lock(&lock);
	uint32_t major = major_version;
	uint32_t build = build_number;
	pthread_mutex_unlock(&lock);
	if (info == NULL || (info->dwOSVersionInfoSize != 276 && info->dwOSVersionInfoSize != sizeof(*info))
			|| build == 0) {
		return STATUS_INVALID_PARAMETER;
	}
	info->dwMajorVersion = major;
	info->dwMinorVersion = 0;
	info->dwBuildNumber = build;
	info->dwPlatformId = 2;
	memset(info->szCSDVersion, 0, sizeof(info->szCSDVersion));
	if (info->dwOSVersionInfoSize == sizeof(*info)) {
		info->wServicePackMajor = 0;
		info->wServicePackMinor = 0;
		info->wSuiteMask = 0;
		info->wProductType = 1;
		info->wReserved = 0;
	}
	return STATUS_SUCCESS;
}
