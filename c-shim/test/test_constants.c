/* The constant table is complete, unique, and agrees with the headers. */
#include "ds_test.h"
#include "dualsock.h"
#include "ds_internal.h"
#include <errno.h>
#include <netdb.h>
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
