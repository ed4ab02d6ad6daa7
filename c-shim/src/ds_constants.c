/* Platform constants, taken from the system headers at build time. */
#include "ds_internal.h"
#include "dualsock.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <stddef.h>

struct ds_constant { const char *name; int64_t value; };

/* dualsock.h writes its layout numbers as literals (it includes no system header): a platform
 * whose sizes differ fails here, at build time, not in Java at run time. */
_Static_assert(DS_HOLDER_LEN_OFFSET == sizeof(struct sockaddr_storage), "holder: sockaddr_storage size");
_Static_assert(DS_HOLDER_SIZE >= DS_HOLDER_LEN_OFFSET + 4 && DS_HOLDER_SIZE % 8 == 0, "holder: length, 8-aligned");
_Static_assert(DS_NI_HOST_OFFSET == 2 * sizeof(int32_t), "getnameinfo: status, sys_errno, then host");
_Static_assert(DS_NI_SERV_OFFSET - DS_NI_HOST_OFFSET == NI_MAXHOST, "getnameinfo: NI_MAXHOST");
_Static_assert(DS_NI_OUT_SIZE - DS_NI_SERV_OFFSET == NI_MAXSERV, "getnameinfo: NI_MAXSERV");

#define C(x) { #x, (int64_t)(x) }
#define SZ(t) { "sizeof(" #t ")", (int64_t)sizeof(t) }
#define OFF(t, f) { "offsetof(" #t "," #f ")", (int64_t)offsetof(t, f) }
#define FSZ(t, f) { "sizeof(" #t "." #f ")", (int64_t)sizeof(((t *)0)->f) }

static const struct ds_constant constants[] = {
    /* address families */
    C(AF_UNSPEC), C(AF_INET), C(AF_INET6), C(AF_UNIX), C(AF_PACKET), C(AF_NETLINK),
    C(PF_UNSPEC), C(PF_INET), C(PF_INET6),
    /* socket types and type flags */
    C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_RDM),
    C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
    /* protocols */
    C(IPPROTO_IP), C(IPPROTO_IPV6), C(IPPROTO_ICMP), C(IPPROTO_ICMPV6), C(IPPROTO_TCP),
    C(IPPROTO_UDP), C(IPPROTO_UDPLITE), C(IPPROTO_SCTP), C(IPPROTO_RAW),
    /* option levels */
    C(SOL_SOCKET), C(SOL_IP), C(SOL_IPV6), C(SOL_TCP), C(SOL_UDP),
    /* SOL_SOCKET options */
    C(SO_REUSEADDR), C(SO_REUSEPORT), C(SO_RCVBUF), C(SO_SNDBUF), C(SO_RCVTIMEO),
    C(SO_SNDTIMEO), C(SO_KEEPALIVE), C(SO_LINGER), C(SO_ERROR), C(SO_TYPE), C(SO_DOMAIN),
    C(SO_PROTOCOL), C(SO_BROADCAST), C(SO_ACCEPTCONN), C(SO_RCVLOWAT), C(SO_SNDLOWAT),
    C(SO_OOBINLINE), C(SO_PRIORITY), C(SO_BINDTODEVICE),
    /* IPPROTO_IPV6 / IPPROTO_IP options */
    C(IPV6_V6ONLY), C(IPV6_UNICAST_HOPS), C(IPV6_MULTICAST_HOPS), C(IPV6_RECVPKTINFO),
    C(IPV6_TCLASS), C(IP_TOS), C(IP_TTL), C(IP_RECVERR), C(IPV6_RECVERR),
    C(IP_MTU_DISCOVER), C(IPV6_MTU_DISCOVER),
    /* IPPROTO_TCP / IPPROTO_UDP options */
    C(TCP_NODELAY), C(TCP_MAXSEG), C(TCP_KEEPIDLE), C(TCP_KEEPINTVL), C(TCP_KEEPCNT),
    C(TCP_QUICKACK), C(TCP_USER_TIMEOUT), C(TCP_CORK),
#ifdef UDP_SEGMENT
    C(UDP_SEGMENT),
#endif
#ifdef UDP_GRO
    C(UDP_GRO),
#endif
    /* getaddrinfo flags */
    C(AI_PASSIVE), C(AI_CANONNAME), C(AI_NUMERICHOST), C(AI_V4MAPPED), C(AI_ALL),
    C(AI_ADDRCONFIG), C(AI_NUMERICSERV),
#ifdef AI_IDN
    C(AI_IDN),
#endif
#ifdef AI_CANONIDN
    C(AI_CANONIDN),
#endif
    /* getnameinfo flags and sizes */
    C(NI_NUMERICHOST), C(NI_NUMERICSERV), C(NI_NOFQDN), C(NI_NAMEREQD), C(NI_DGRAM),
#ifdef NI_IDN
    C(NI_IDN),
#endif
    C(NI_MAXHOST), C(NI_MAXSERV),
    /* getaddrinfo errors */
#define C_ITEM(x) { #x, (int64_t)(x) }, /* C(x) would stringify x after expanding it */
    DS_EAI_CODES(C_ITEM)
    /* errno values Java tells apart in the shim's -errno returns (ds_getnameinfo: -EINVAL) */
    C(EINVAL),
    /* message flags */
    C(MSG_OOB), C(MSG_PEEK), C(MSG_DONTROUTE), C(MSG_DONTWAIT), C(MSG_WAITALL),
    C(MSG_TRUNC), C(MSG_CTRUNC), C(MSG_NOSIGNAL), C(MSG_ERRQUEUE), C(MSG_MORE),
    C(MSG_CONFIRM), C(MSG_EOR),
    /* shutdown, poll, fcntl */
    C(SHUT_RD), C(SHUT_WR), C(SHUT_RDWR),
    C(POLLIN), C(POLLPRI), C(POLLOUT), C(POLLERR), C(POLLHUP), C(POLLNVAL), C(POLLRDHUP),
    C(O_NONBLOCK), C(F_GETFL), C(F_SETFL), C(F_GETFD), C(FD_CLOEXEC),
    /* open(2) and setns(2), for the lab's per-thread network namespaces */
    C(O_RDONLY), C(O_CLOEXEC), C(CLONE_NEWNET),
    /* system call numbers, for tests that read /proc/<pid>/task/<tid>/syscall to see a thread
     * blocked in the call the shim makes (ds_accept: accept4, ds_recvfrom: recvfrom, ...) */
    C(SYS_accept4), C(SYS_recvfrom), C(SYS_recvmsg), C(SYS_connect), C(SYS_sendto), C(SYS_ppoll),
#ifdef SYS_poll
    C(SYS_poll),
#endif
    /* rtnetlink (java-api's Rtnetlink: the address and link dumps glibc's getaddrinfo reads) */
    C(NETLINK_ROUTE), C(NLMSG_ALIGNTO), C(NLMSG_ERROR), C(NLMSG_DONE), C(NLM_F_REQUEST), C(NLM_F_DUMP),
    C(RTM_NEWLINK), C(RTM_GETLINK), C(RTM_NEWADDR), C(RTM_GETADDR), C(RTA_ALIGNTO),
    C(IFA_ADDRESS), C(IFA_LOCAL), C(IFA_F_OPTIMISTIC), C(IFA_F_HOMEADDRESS), C(IFA_F_DEPRECATED),
    C(ARPHRD_TUNNEL), C(ARPHRD_TUNNEL6), C(ARPHRD_SIT),
    SZ(struct nlmsghdr), OFF(struct nlmsghdr, nlmsg_len), OFF(struct nlmsghdr, nlmsg_type),
    OFF(struct nlmsghdr, nlmsg_flags), OFF(struct nlmsghdr, nlmsg_seq), OFF(struct nlmsghdr, nlmsg_pid),
    FSZ(struct nlmsghdr, nlmsg_len), FSZ(struct nlmsghdr, nlmsg_type), FSZ(struct nlmsghdr, nlmsg_flags),
    FSZ(struct nlmsghdr, nlmsg_seq), FSZ(struct nlmsghdr, nlmsg_pid),
    SZ(struct rtgenmsg), OFF(struct rtgenmsg, rtgen_family), FSZ(struct rtgenmsg, rtgen_family),
    OFF(struct nlmsgerr, error), FSZ(struct nlmsgerr, error),
    SZ(struct ifaddrmsg), OFF(struct ifaddrmsg, ifa_family), OFF(struct ifaddrmsg, ifa_prefixlen),
    OFF(struct ifaddrmsg, ifa_flags), OFF(struct ifaddrmsg, ifa_index),
    FSZ(struct ifaddrmsg, ifa_family), FSZ(struct ifaddrmsg, ifa_prefixlen), FSZ(struct ifaddrmsg, ifa_flags),
    FSZ(struct ifaddrmsg, ifa_index),
    SZ(struct ifinfomsg), OFF(struct ifinfomsg, ifi_type), OFF(struct ifinfomsg, ifi_index),
    FSZ(struct ifinfomsg, ifi_type), FSZ(struct ifinfomsg, ifi_index),
    SZ(struct rtattr), OFF(struct rtattr, rta_len), OFF(struct rtattr, rta_type),
    FSZ(struct rtattr, rta_len), FSZ(struct rtattr, rta_type),
    /* sizes */
    C(INET_ADDRSTRLEN), C(INET6_ADDRSTRLEN), C(IF_NAMESIZE),
    C(INADDR_ANY), C(INADDR_LOOPBACK), C(SOMAXCONN),
    /* struct layouts */
    SZ(int), SZ(sa_family_t), SZ(socklen_t), SZ(in_port_t),
    SZ(struct sockaddr), SZ(struct sockaddr_storage),
    SZ(struct sockaddr_in), OFF(struct sockaddr_in, sin_family), OFF(struct sockaddr_in, sin_port),
    OFF(struct sockaddr_in, sin_addr),
    SZ(struct sockaddr_in6), OFF(struct sockaddr_in6, sin6_family),
    OFF(struct sockaddr_in6, sin6_port), OFF(struct sockaddr_in6, sin6_flowinfo),
    OFF(struct sockaddr_in6, sin6_addr), OFF(struct sockaddr_in6, sin6_scope_id),
    SZ(struct linger), OFF(struct linger, l_onoff), OFF(struct linger, l_linger),
    FSZ(struct linger, l_onoff), FSZ(struct linger, l_linger),
    SZ(struct timeval), OFF(struct timeval, tv_sec), OFF(struct timeval, tv_usec),
    FSZ(struct timeval, tv_sec), FSZ(struct timeval, tv_usec),
    /* the shim's own layouts (see dualsock.h) */
    { "DS_ABI_VERSION", DS_ABI_VERSION },
    { "DS_GAI_HEADER_SIZE", DS_GAI_HEADER_SIZE },
    { "DS_GAI_ENTRY_FIXED", DS_GAI_ENTRY_FIXED },
    { "DS_HOLDER_SIZE", DS_HOLDER_SIZE },
    { "DS_HOLDER_LEN_OFFSET", DS_HOLDER_LEN_OFFSET },
    { "DS_NI_HOST_OFFSET", DS_NI_HOST_OFFSET },
    { "DS_NI_SERV_OFFSET", DS_NI_SERV_OFFSET },
    { "DS_NI_OUT_SIZE", DS_NI_OUT_SIZE },
    /* batch (ds_batch.c) and its benchmarks */
    C(MSG_WAITFORONE), C(SO_RCVBUFFORCE),
    { "DS_BATCH_HEADER_SIZE", DS_BATCH_HEADER_SIZE },
    { "DS_BATCH_SLOT_SIZE", DS_BATCH_SLOT_SIZE },
    { "DS_BATCH_LEN_OFFSET", DS_BATCH_LEN_OFFSET },
    { "DS_BATCH_RES_OFFSET", DS_BATCH_RES_OFFSET },
    { "DS_BATCH_FLAGS_OFFSET", DS_BATCH_FLAGS_OFFSET },
    { "DS_BATCH_MAX_SLOTS", DS_BATCH_MAX_SLOTS },
    { "DS_BATCH_MAX_SLOT_SIZE", DS_BATCH_MAX_SLOT_SIZE },
    { "DS_BATCH_CONTROL_LEN_OFFSET", DS_BATCH_CONTROL_LEN_OFFSET },
    { "DS_BATCH_MAX_CONTROL", DS_BATCH_MAX_CONTROL },
    /* messages (ds_msg.c): the descriptor, control message types and the cmsg(3) layout */
    SZ(struct ds_msg), OFF(struct ds_msg, buf), OFF(struct ds_msg, len), OFF(struct ds_msg, name),
    OFF(struct ds_msg, control), OFF(struct ds_msg, controllen), OFF(struct ds_msg, flags),
    C(IP_PKTINFO), C(IP_RECVTOS), C(IPV6_PKTINFO), C(IPV6_RECVTCLASS),
    C(SO_TIMESTAMPNS), C(SCM_TIMESTAMPNS),
    SZ(struct cmsghdr), OFF(struct cmsghdr, cmsg_len), OFF(struct cmsghdr, cmsg_level),
    OFF(struct cmsghdr, cmsg_type), FSZ(struct cmsghdr, cmsg_len),
    { "CMSG_ALIGN(1)", (int64_t)CMSG_ALIGN(1) }, /* the alignment unit: sizeof(size_t) */
    { "CMSG_LEN(0)", (int64_t)CMSG_LEN(0) },     /* where CMSG_DATA starts */
    { "CMSG_LEN(sizeof(int))", (int64_t)CMSG_LEN(sizeof(int)) },
    { "CMSG_SPACE(sizeof(int))", (int64_t)CMSG_SPACE(sizeof(int)) },
    { "CMSG_LEN(sizeof(uint16_t))", (int64_t)CMSG_LEN(sizeof(uint16_t)) },
    { "CMSG_SPACE(sizeof(uint16_t))", (int64_t)CMSG_SPACE(sizeof(uint16_t)) },
    { "CMSG_LEN(sizeof(struct in_pktinfo))", (int64_t)CMSG_LEN(sizeof(struct in_pktinfo)) },
    { "CMSG_SPACE(sizeof(struct in_pktinfo))", (int64_t)CMSG_SPACE(sizeof(struct in_pktinfo)) },
    { "CMSG_LEN(sizeof(struct in6_pktinfo))", (int64_t)CMSG_LEN(sizeof(struct in6_pktinfo)) },
    { "CMSG_SPACE(sizeof(struct in6_pktinfo))", (int64_t)CMSG_SPACE(sizeof(struct in6_pktinfo)) },
    { "CMSG_LEN(sizeof(struct timespec))", (int64_t)CMSG_LEN(sizeof(struct timespec)) },
    { "CMSG_SPACE(sizeof(struct timespec))", (int64_t)CMSG_SPACE(sizeof(struct timespec)) },
    SZ(struct in_pktinfo), OFF(struct in_pktinfo, ipi_ifindex), OFF(struct in_pktinfo, ipi_spec_dst),
    OFF(struct in_pktinfo, ipi_addr), FSZ(struct in_pktinfo, ipi_ifindex),
    SZ(struct in6_pktinfo), OFF(struct in6_pktinfo, ipi6_addr), OFF(struct in6_pktinfo, ipi6_ifindex),
    FSZ(struct in6_pktinfo, ipi6_ifindex),
    SZ(struct timespec), OFF(struct timespec, tv_sec), OFF(struct timespec, tv_nsec),
    FSZ(struct timespec, tv_sec), FSZ(struct timespec, tv_nsec),
};

int32_t ds_abi_version(void) { return DS_ABI_VERSION; }

int32_t ds_constant_count(void) { return (int32_t)(sizeof constants / sizeof constants[0]); }

const char *ds_constant_name(int32_t i) {
    return (i >= 0 && i < ds_constant_count()) ? constants[i].name : NULL;
}

int64_t ds_constant_value(int32_t i) {
    return (i >= 0 && i < ds_constant_count()) ? constants[i].value : 0;
}
