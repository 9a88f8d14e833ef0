/*
 * Windows API simulator, part two: the owner tables of the IP Helper API, GetExtendedTcpTable and
 * GetExtendedUdpTable, for the holder look-up (WindowsPortHolders). Compiled into the same libwinsim.so as
 * winsim.c (see the gcc command in core/pom.xml and autoconfigure/pom.xml).
 *
 * The tables are this Linux host's real sockets, read from /proc/net/{tcp,tcp6,udp,udp6}, with the owning
 * process found through the socket:[inode] links of /proc/PID/fd, laid out exactly as Windows lays them out:
 *
 *   MIB_TCPTABLE_OWNER_PID   { DWORD dwNumEntries; MIB_TCPROW_OWNER_PID table[]; }   row 24 bytes:
 *       dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort, dwOwningPid
 *   MIB_TCP6TABLE_OWNER_PID  { DWORD dwNumEntries; MIB_TCP6ROW_OWNER_PID table[]; }  row 56 bytes:
 *       ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId, dwRemotePort,
 *       dwState, dwOwningPid
 *   MIB_UDPTABLE_OWNER_PID   { DWORD dwNumEntries; MIB_UDPROW_OWNER_PID table[]; }   row 12 bytes:
 *       dwLocalAddr, dwLocalPort, dwOwningPid
 *   MIB_UDP6TABLE_OWNER_PID  { DWORD dwNumEntries; MIB_UDP6ROW_OWNER_PID table[]; }  row 28 bytes:
 *       ucLocalAddr[16], dwLocalScopeId, dwLocalPort, dwOwningPid
 *
 * Addresses and ports are in network byte order (a port in the low 16 bits of its DWORD), states are
 * MIB_TCP_STATE values, and a row no process owns (TIME_WAIT) has pid 0, as on Windows. The size protocol is
 * Windows': a NULL table or a *pdwSize too small gives ERROR_INSUFFICIENT_BUFFER with the size needed in
 * *pdwSize; a NULL pdwSize, an address family other than AF_INET (2) / AF_INET6 (23), a table class the
 * simulator does not build (TCP: TCP_TABLE_OWNER_PID_LISTENER 3, _CONNECTIONS 4, _ALL 5; UDP:
 * UDP_TABLE_OWNER_PID 1) or a non-zero Reserved gives ERROR_INVALID_PARAMETER. bOrder is ignored (rows come
 * in the kernel's order).
 *
 * Test controls (not part of the Windows API): winsim_tables_insufficient_next(n) makes the next n calls
 * report a table one row larger than the buffer, as when sockets appear between the size query and the call;
 * winsim_tables_fail_next(code, n) makes the next n calls return code.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef int BOOL;

#define NO_ERROR 0u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_INSUFFICIENT_BUFFER 122u

#define AF_INET_WINDOWS 2u
#define AF_INET6_WINDOWS 23u

#define TCP_TABLE_OWNER_PID_LISTENER 3
#define TCP_TABLE_OWNER_PID_CONNECTIONS 4
#define TCP_TABLE_OWNER_PID_ALL 5
#define UDP_TABLE_OWNER_PID 1

#define MIB_TCP_STATE_LISTEN 2u

typedef struct {
	DWORD dwState;
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
	DWORD dwOwningPid;
} MIB_TCPROW_OWNER_PID;

typedef struct {
	unsigned char ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	unsigned char ucRemoteAddr[16];
	DWORD dwRemoteScopeId;
	DWORD dwRemotePort;
	DWORD dwState;
	DWORD dwOwningPid;
} MIB_TCP6ROW_OWNER_PID;

typedef struct {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
} MIB_UDPROW_OWNER_PID;

typedef struct {
	unsigned char ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
} MIB_UDP6ROW_OWNER_PID;

_Static_assert(sizeof(MIB_TCPROW_OWNER_PID) == 24, "MIB_TCPROW_OWNER_PID is 24 bytes");
_Static_assert(sizeof(MIB_TCP6ROW_OWNER_PID) == 56, "MIB_TCP6ROW_OWNER_PID is 56 bytes");
_Static_assert(sizeof(MIB_UDPROW_OWNER_PID) == 12, "MIB_UDPROW_OWNER_PID is 12 bytes");
_Static_assert(sizeof(MIB_UDP6ROW_OWNER_PID) == 28, "MIB_UDP6ROW_OWNER_PID is 28 bytes");

/* One socket line of /proc/net. Addresses keep the kernel's in-memory (network) byte order. */
struct entry {
	int ipv6;
	unsigned char local[16];
	unsigned port;
	unsigned char remote[16];
	unsigned remote_port;
	unsigned linux_state;
	unsigned long inode;
	unsigned pid;
};

static pthread_mutex_t controls_lock = PTHREAD_MUTEX_INITIALIZER;
static int insufficient_next;
static DWORD fail_code;
static int fail_calls;

EXPORT void winsim_tables_insufficient_next(int calls) {
	pthread_mutex_lock(&controls_lock);
	insufficient_next = calls;
	pthread_mutex_unlock(&controls_lock);
}

EXPORT void winsim_tables_fail_next(DWORD code, int calls) {
	pthread_mutex_lock(&controls_lock);
	fail_code = code;
	fail_calls = calls;
	pthread_mutex_unlock(&controls_lock);
}

/* The kernel prints each 32-bit word of an address as a hex number of the word as it lies in memory. */
static int parse_address(const char *hex, size_t digits, unsigned char *out) {
	for (size_t word = 0; word < digits / 8; word++) {
		char text[9];
		memcpy(text, hex + 8 * word, 8);
		text[8] = '\0';
		char *end;
		uint32_t value = (uint32_t) strtoul(text, &end, 16);
		if (*end != '\0') {
			return -1;
		}
		memcpy(out + 4 * word, &value, 4);
	}
	return 0;
}

static int parse_endpoint(const char *field, int ipv6, unsigned char *address, unsigned *port) {
	const char *colon = strchr(field, ':');
	size_t digits = ipv6 ? 32 : 8;
	if (colon == NULL || (size_t) (colon - field) != digits) {
		return -1;
	}
	memset(address, 0, 16);
	if (parse_address(field, digits, address) != 0) {
		return -1;
	}
	*port = (unsigned) strtoul(colon + 1, NULL, 16);
	return 0;
}

/* Reads a /proc/net table; returns the number of entries (grown into *entries), or -1. */
static int read_table(const char *path, int ipv6, struct entry **entries, int *capacity, int count) {
	FILE *file = fopen(path, "r");
	if (file == NULL) {
		return count;
	}
	char line[512];
	if (fgets(line, sizeof(line), file) == NULL) {
		fclose(file);
		return count;
	}
	while (fgets(line, sizeof(line), file) != NULL) {
		char local[64], remote[64];
		unsigned state, uid;
		unsigned long inode;
		if (sscanf(line, " %*u: %63s %63s %x %*s %*s %*s %u %*u %lu", local, remote, &state, &uid, &inode) != 5) {
			continue;
		}
		if (count == *capacity) {
			int grown = (*capacity == 0) ? 64 : 2 * *capacity;
			struct entry *bigger = realloc(*entries, (size_t) grown * sizeof(struct entry));
			if (bigger == NULL) {
				break;
			}
			*entries = bigger;
			*capacity = grown;
		}
		struct entry *e = &(*entries)[count];
		memset(e, 0, sizeof(*e));
		e->ipv6 = ipv6;
		if (parse_endpoint(local, ipv6, e->local, &e->port) != 0
				|| parse_endpoint(remote, ipv6, e->remote, &e->remote_port) != 0) {
			continue;
		}
		e->linux_state = state;
		e->inode = inode;
		count++;
	}
	fclose(file);
	return count;
}

/* Fills in the pid of every entry with a socket inode, from /proc/PID/fd. */
static void find_owners(struct entry *entries, int count) {
	int missing = 0;
	for (int i = 0; i < count; i++) {
		missing += entries[i].inode != 0;
	}
	DIR *proc = opendir("/proc");
	if (proc == NULL) {
		return;
	}
	struct dirent *process;
	while (missing > 0 && (process = readdir(proc)) != NULL) {
		char *end;
		unsigned long pid = strtoul(process->d_name, &end, 10);
		if (*end != '\0' || pid == 0) {
			continue;
		}
		char fd_path[64];
		snprintf(fd_path, sizeof(fd_path), "/proc/%lu/fd", pid);
		DIR *fds = opendir(fd_path);
		if (fds == NULL) {
			continue;
		}
		struct dirent *fd;
		while ((fd = readdir(fds)) != NULL) {
			char link_path[320], target[64];
			snprintf(link_path, sizeof(link_path), "%s/%s", fd_path, fd->d_name);
			ssize_t length = readlink(link_path, target, sizeof(target) - 1);
			if (length <= 0) {
				continue;
			}
			target[length] = '\0';
			unsigned long inode;
			if (sscanf(target, "socket:[%lu]", &inode) != 1) {
				continue;
			}
			for (int i = 0; i < count; i++) {
				if (entries[i].inode == inode && entries[i].pid == 0) {
					entries[i].pid = (unsigned) pid;
					missing--;
				}
			}
		}
		closedir(fds);
	}
	closedir(proc);
}

static DWORD tcp_state(unsigned linux_state) {
	switch (linux_state) {
	case 0x01: return 5;  /* ESTABLISHED -> MIB_TCP_STATE_ESTAB */
	case 0x02: return 3;  /* SYN_SENT */
	case 0x03: return 4;  /* SYN_RECV -> SYN_RCVD */
	case 0x04: return 6;  /* FIN_WAIT1 */
	case 0x05: return 7;  /* FIN_WAIT2 */
	case 0x06: return 11; /* TIME_WAIT */
	case 0x07: return 1;  /* CLOSE -> CLOSED */
	case 0x08: return 8;  /* CLOSE_WAIT */
	case 0x09: return 10; /* LAST_ACK */
	case 0x0A: return 2;  /* LISTEN */
	case 0x0B: return 9;  /* CLOSING */
	case 0x0C: return 4;  /* NEW_SYN_RECV -> SYN_RCVD */
	default: return 12;   /* DELETE_TCB */
	}
}

static DWORD port_dword(unsigned port) {
	return (DWORD) htons((uint16_t) port);
}

static int wanted(int tcp, int table_class, const struct entry *e) {
	if (!tcp || table_class == TCP_TABLE_OWNER_PID_ALL) {
		return 1;
	}
	int listening = tcp_state(e->linux_state) == MIB_TCP_STATE_LISTEN;
	return (table_class == TCP_TABLE_OWNER_PID_LISTENER) ? listening : !listening;
}

static size_t row_size(int tcp, int ipv6) {
	if (tcp) {
		return ipv6 ? sizeof(MIB_TCP6ROW_OWNER_PID) : sizeof(MIB_TCPROW_OWNER_PID);
	}
	return ipv6 ? sizeof(MIB_UDP6ROW_OWNER_PID) : sizeof(MIB_UDPROW_OWNER_PID);
}

static void write_row(int tcp, const struct entry *e, unsigned char *row) {
	if (tcp && !e->ipv6) {
		MIB_TCPROW_OWNER_PID r = { tcp_state(e->linux_state), 0, port_dword(e->port), 0, port_dword(e->remote_port),
				e->pid };
		memcpy(&r.dwLocalAddr, e->local, 4);
		memcpy(&r.dwRemoteAddr, e->remote, 4);
		memcpy(row, &r, sizeof(r));
	}
	else if (tcp) {
		MIB_TCP6ROW_OWNER_PID r;
		memset(&r, 0, sizeof(r));
		memcpy(r.ucLocalAddr, e->local, 16);
		memcpy(r.ucRemoteAddr, e->remote, 16);
		r.dwLocalPort = port_dword(e->port);
		r.dwRemotePort = port_dword(e->remote_port);
		r.dwState = tcp_state(e->linux_state);
		r.dwOwningPid = e->pid;
		memcpy(row, &r, sizeof(r));
	}
	else if (!e->ipv6) {
		MIB_UDPROW_OWNER_PID r = { 0, port_dword(e->port), e->pid };
		memcpy(&r.dwLocalAddr, e->local, 4);
		memcpy(row, &r, sizeof(r));
	}
	else {
		MIB_UDP6ROW_OWNER_PID r;
		memset(&r, 0, sizeof(r));
		memcpy(r.ucLocalAddr, e->local, 16);
		r.dwLocalPort = port_dword(e->port);
		r.dwOwningPid = e->pid;
		memcpy(row, &r, sizeof(r));
	}
}

static DWORD extended_table(int tcp, void *table, DWORD *size, ULONG af, int table_class, ULONG reserved) {
	DWORD forced = 0;
	int insufficient = 0;
	pthread_mutex_lock(&controls_lock);
	if (fail_calls > 0) {
		forced = fail_code;
		fail_calls--;
	}
	else if (insufficient_next > 0) {
		insufficient = 1;
		insufficient_next--;
	}
	pthread_mutex_unlock(&controls_lock);
	if (forced != 0) {
		return forced;
	}
	int known_class = tcp ? (table_class == TCP_TABLE_OWNER_PID_LISTENER || table_class == TCP_TABLE_OWNER_PID_CONNECTIONS
			|| table_class == TCP_TABLE_OWNER_PID_ALL) : table_class == UDP_TABLE_OWNER_PID;
	if (size == NULL || reserved != 0 || (af != AF_INET_WINDOWS && af != AF_INET6_WINDOWS) || !known_class) {
		return ERROR_INVALID_PARAMETER;
	}
	int ipv6 = af == AF_INET6_WINDOWS;
	char path[32];
	snprintf(path, sizeof(path), "/proc/net/%s%s", tcp ? "tcp" : "udp", ipv6 ? "6" : "");
	struct entry *entries = NULL;
	int capacity = 0;
	int count = read_table(path, ipv6, &entries, &capacity, 0);
	find_owners(entries, count);
	int rows = 0;
	for (int i = 0; i < count; i++) {
		rows += wanted(tcp, table_class, &entries[i]);
	}
	size_t needed = sizeof(DWORD) + (size_t) rows * row_size(tcp, ipv6);
	if (insufficient) {
		/* Sockets appeared since the caller asked for the size. */
		needed = (*size > needed ? *size : needed) + row_size(tcp, ipv6);
	}
	if (table == NULL || *size < needed) {
		*size = (DWORD) needed;
		free(entries);
		return ERROR_INSUFFICIENT_BUFFER;
	}
	unsigned char *out = table;
	DWORD written = (DWORD) rows;
	memcpy(out, &written, sizeof(DWORD));
	unsigned char *row = out + sizeof(DWORD);
	for (int i = 0; i < count; i++) {
		if (wanted(tcp, table_class, &entries[i])) {
			write_row(tcp, &entries[i], row);
			row += row_size(tcp, ipv6);
		}
	}
	*size = (DWORD) needed;
	free(entries);
	return NO_ERROR;
}

EXPORT DWORD GetExtendedTcpTable(void *pTcpTable, DWORD *pdwSize, BOOL bOrder, ULONG ulAf, int TableClass,
		ULONG Reserved) {
	(void) bOrder;
	return extended_table(1, pTcpTable, pdwSize, ulAf, TableClass, Reserved);
}

EXPORT DWORD GetExtendedUdpTable(void *pUdpTable, DWORD *pdwSize, BOOL bOrder, ULONG ulAf, int TableClass,
		ULONG Reserved) {
	(void) bOrder;
	return extended_table(0, pUdpTable, pdwSize, ulAf, TableClass, Reserved);
}
