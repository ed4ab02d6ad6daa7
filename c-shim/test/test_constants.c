/* The constant table is complete, unique, and agrees with the headers. */
#include "ds_test.h"
#include "dualsock.h"
#include <errno.h>
#include <netdb.h>
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <string.h>

static int64_t lookup(const char *name) {
    for (int32_t i = 0; i < ds_constant_count(); i++)
        if (strcmp(ds_constant_name(i), name) == 0) return ds_constant_value(i);
    return -999999;
}

/* name -> the value the headers give it; checked by name so a failure says which one */
static const struct { const char *name; int64_t value; } expected[] = {
    { "AF_INET6", AF_INET6 },
    { "AI_V4MAPPED", AI_V4MAPPED },
    { "EAI_NONAME", EAI_NONAME },
    { "sizeof(struct sockaddr_in6)", sizeof(struct sockaddr_in6) },
    { "offsetof(struct sockaddr_in6,sin6_addr)", 8 },
    { "DS_HOLDER_SIZE", sizeof(struct sockaddr_storage) + 8 },
    /* the flat getaddrinfo layout documented in dualsock.h, as Java reads it from the table */
    { "DS_GAI_HEADER_SIZE", 16 },
    { "DS_GAI_ENTRY_FIXED", 48 },
    { "DS_NI_HOST_OFFSET", 8 },
    { "DS_NI_SERV_OFFSET", 8 + NI_MAXHOST },
    { "DS_NI_OUT_SIZE", 8 + NI_MAXHOST + NI_MAXSERV },
    { "DS_HOLDER_LEN_OFFSET", sizeof(struct sockaddr_storage) },
    /* everything the resolver tests and Java's Platform class look up by name */
    { "AF_UNSPEC", AF_UNSPEC },
    { "AF_INET", AF_INET },
    { "SOCK_STREAM", SOCK_STREAM },
    { "IPPROTO_UDP", IPPROTO_UDP },
    { "AI_PASSIVE", AI_PASSIVE },
    { "AI_CANONNAME", AI_CANONNAME },
    { "AI_NUMERICHOST", AI_NUMERICHOST },
    { "AI_ALL", AI_ALL },
    { "AI_ADDRCONFIG", AI_ADDRCONFIG },
    { "AI_NUMERICSERV", AI_NUMERICSERV },
#ifdef AI_IDN
    { "AI_IDN", AI_IDN },
#endif
    { "NI_NUMERICHOST", NI_NUMERICHOST },
    { "NI_NAMEREQD", NI_NAMEREQD },
    { "EAI_SYSTEM", EAI_SYSTEM },
    { "EINVAL", EINVAL },
    { "EAI_SERVICE", EAI_SERVICE },
    { "EAI_BADFLAGS", EAI_BADFLAGS },
    { "EAI_FAMILY", EAI_FAMILY },
    { "EAI_SOCKTYPE", EAI_SOCKTYPE },
    { "sizeof(sa_family_t)", sizeof(sa_family_t) },
    { "sizeof(struct sockaddr_in)", sizeof(struct sockaddr_in) },
    { "offsetof(struct sockaddr_in,sin_port)", offsetof(struct sockaddr_in, sin_port) },
    { "offsetof(struct sockaddr_in,sin_addr)", offsetof(struct sockaddr_in, sin_addr) },
    { "offsetof(struct sockaddr_in6,sin6_flowinfo)", offsetof(struct sockaddr_in6, sin6_flowinfo) },
    { "offsetof(struct sockaddr_in6,sin6_scope_id)", offsetof(struct sockaddr_in6, sin6_scope_id) },
    /* java-api's Rtnetlink reads these instead of typing the kernel's numbers in */
    { "NETLINK_ROUTE", NETLINK_ROUTE },
    { "NLM_F_DUMP", NLM_F_DUMP },
    { "RTM_GETADDR", RTM_GETADDR },
    { "IFA_F_DEPRECATED", IFA_F_DEPRECATED },
    { "ARPHRD_SIT", ARPHRD_SIT },
    { "sizeof(struct nlmsghdr)", NLMSG_HDRLEN },
    { "sizeof(struct ifaddrmsg)", sizeof(struct ifaddrmsg) },
    { "offsetof(struct ifaddrmsg,ifa_index)", offsetof(struct ifaddrmsg, ifa_index) },
    { "offsetof(struct nlmsgerr,error)", 0 },
    { "sizeof(struct rtattr)", RTA_LENGTH(0) },
};

int main(void) {
    CHECK_EQ(ds_abi_version(), DS_ABI_VERSION);
    CHECK(ds_constant_count() > 100);
    for (int32_t i = 0; i < ds_constant_count(); i++)
        for (int32_t j = i + 1; j < ds_constant_count(); j++)
            CHECK(strcmp(ds_constant_name(i), ds_constant_name(j)) != 0);
    CHECK(ds_constant_name(-1) == NULL);
    CHECK(ds_constant_name(ds_constant_count()) == NULL);
    for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++) {
        int64_t got = lookup(expected[k].name);
        ds_checks++;
        if (got != expected[k].value) {
            ds_failures++;
            fprintf(stderr, "%s:%d: lookup(\"%s\") == %lld, expected %lld\n", __FILE__, __LINE__,
                    expected[k].name, (long long)got, (long long)expected[k].value);
        }
    }
    /* every EAI code in the table has a name and a text */
    for (int32_t i = 0; i < ds_constant_count(); i++) {
        if (strncmp(ds_constant_name(i), "EAI_", 4) != 0) continue;
        const char *n = ds_eai_name((int32_t)ds_constant_value(i));
        CHECK(n != NULL);
        if (n != NULL && strcmp(ds_constant_name(i), "EAI_NODATA") != 0 && strcmp(ds_constant_name(i), "EAI_ADDRFAMILY") != 0)
            CHECK(strcmp(n, ds_constant_name(i)) == 0);
        CHECK(ds_gai_strerror((int32_t)ds_constant_value(i)) != NULL);
    }
    CHECK(strcmp(ds_errno_name(ECONNREFUSED), "ECONNREFUSED") == 0);
    CHECK(strcmp(ds_errno_name(EAGAIN), "EAGAIN") == 0);
    CHECK(ds_errno_name(-5) == NULL);
    char buf[128];
    CHECK(ds_strerror(ECONNREFUSED, buf, sizeof buf) > 0);
    CHECK(strcmp(buf, "Connection refused") == 0);
    CHECK_EQ(ds_strerror(ECONNREFUSED, buf, 0), -EINVAL);
    char tiny[4];
    CHECK_EQ(ds_strerror(ECONNREFUSED, tiny, sizeof tiny), 3);
    TEST_MAIN_END();
}
