/* The constant table is complete, unique, and agrees with the headers. */
#include "ds_test.h"
#include "dualsock.h"
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <string.h>

static int64_t lookup(const char *name) {
    for (int32_t i = 0; i < ds_constant_count(); i++)
        if (strcmp(ds_constant_name(i), name) == 0) return ds_constant_value(i);
    return -999999;
}

int main(void) {
    CHECK_EQ(ds_abi_version(), DS_ABI_VERSION);
    CHECK(ds_constant_count() > 100);
    for (int32_t i = 0; i < ds_constant_count(); i++)
        for (int32_t j = i + 1; j < ds_constant_count(); j++)
            CHECK(strcmp(ds_constant_name(i), ds_constant_name(j)) != 0);
    CHECK(ds_constant_name(-1) == NULL);
    CHECK(ds_constant_name(ds_constant_count()) == NULL);
    CHECK_EQ(lookup("AF_INET6"), AF_INET6);
    CHECK_EQ(lookup("AI_V4MAPPED"), AI_V4MAPPED);
    CHECK_EQ(lookup("EAI_NONAME"), EAI_NONAME);
    CHECK_EQ(lookup("sizeof(struct sockaddr_in6)"), sizeof(struct sockaddr_in6));
    CHECK_EQ(lookup("offsetof(struct sockaddr_in6,sin6_addr)"), 8);
    CHECK_EQ(lookup("DS_HOLDER_SIZE"), sizeof(struct sockaddr_storage) + 8);
    /* the flat getaddrinfo layout documented in dualsock.h, as Java reads it from the table */
    CHECK_EQ(lookup("DS_GAI_HEADER_SIZE"), 16);
    CHECK_EQ(lookup("DS_GAI_ENTRY_FIXED"), 48);
    CHECK_EQ(lookup("DS_NI_HOST_OFFSET"), 8);
    CHECK_EQ(lookup("DS_NI_SERV_OFFSET"), 8 + NI_MAXHOST);
    CHECK_EQ(lookup("DS_NI_OUT_SIZE"), 8 + NI_MAXHOST + NI_MAXSERV);
    CHECK_EQ(lookup("DS_HOLDER_LEN_OFFSET"), sizeof(struct sockaddr_storage));
    /* everything the resolver tests and Java's Platform class look up by name */
    CHECK_EQ(lookup("AF_UNSPEC"), AF_UNSPEC);
    CHECK_EQ(lookup("AF_INET"), AF_INET);
    CHECK_EQ(lookup("SOCK_STREAM"), SOCK_STREAM);
    CHECK_EQ(lookup("IPPROTO_UDP"), IPPROTO_UDP);
    CHECK_EQ(lookup("AI_PASSIVE"), AI_PASSIVE);
    CHECK_EQ(lookup("AI_CANONNAME"), AI_CANONNAME);
    CHECK_EQ(lookup("AI_NUMERICHOST"), AI_NUMERICHOST);
    CHECK_EQ(lookup("AI_ALL"), AI_ALL);
    CHECK_EQ(lookup("AI_ADDRCONFIG"), AI_ADDRCONFIG);
    CHECK_EQ(lookup("AI_NUMERICSERV"), AI_NUMERICSERV);
#ifdef AI_IDN
    CHECK_EQ(lookup("AI_IDN"), AI_IDN);
#endif
    CHECK_EQ(lookup("NI_NUMERICHOST"), NI_NUMERICHOST);
    CHECK_EQ(lookup("NI_NAMEREQD"), NI_NAMEREQD);
    CHECK_EQ(lookup("EAI_SYSTEM"), EAI_SYSTEM);
    CHECK_EQ(lookup("EINVAL"), EINVAL);
    CHECK_EQ(lookup("EAI_SERVICE"), EAI_SERVICE);
    CHECK_EQ(lookup("EAI_BADFLAGS"), EAI_BADFLAGS);
    CHECK_EQ(lookup("EAI_FAMILY"), EAI_FAMILY);
    CHECK_EQ(lookup("EAI_SOCKTYPE"), EAI_SOCKTYPE);
    CHECK_EQ(lookup("sizeof(sa_family_t)"), sizeof(sa_family_t));
    CHECK_EQ(lookup("sizeof(struct sockaddr_in)"), sizeof(struct sockaddr_in));
    CHECK_EQ(lookup("offsetof(struct sockaddr_in,sin_port)"), offsetof(struct sockaddr_in, sin_port));
    CHECK_EQ(lookup("offsetof(struct sockaddr_in,sin_addr)"), offsetof(struct sockaddr_in, sin_addr));
    CHECK_EQ(lookup("offsetof(struct sockaddr_in6,sin6_flowinfo)"), offsetof(struct sockaddr_in6, sin6_flowinfo));
    CHECK_EQ(lookup("offsetof(struct sockaddr_in6,sin6_scope_id)"), offsetof(struct sockaddr_in6, sin6_scope_id));
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
