/* libdsbench's libc wrappers (c-shim/bench/dsb_libc.c), the references the Java tests and the
 * fuzz targets hold dualsock to: the shim's conventions (-errno, lengths) around libc's answers. */
#include "ds_test.h"
#include "dsbench.h"
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

int main(void) {
    unsigned char a[16];
    char text[64];
    CHECK_EQ(dsb_inet_pton(AF_INET6, "::ffff:198.51.100.1", a), 1);
    CHECK(dsb_inet_ntop(AF_INET6, a, text, sizeof text) > 0);
    CHECK(strcmp(text, "::ffff:198.51.100.1") == 0);
    CHECK_EQ(dsb_inet_pton(AF_INET, "127.1", a), 0);
    CHECK_EQ(dsb_inet_pton(12345, "1.2.3.4", a), -EAFNOSUPPORT);
    CHECK_EQ(dsb_inet_ntop(AF_INET6, a, text, 2), -ENOSPC);
    CHECK_EQ(dsb_inet_ntop(AF_INET6, a, text, 0), -EINVAL);
    CHECK_EQ(dsb_if_indextoname(1, text, sizeof text), 2);
    CHECK(strcmp(text, "lo") == 0);
    CHECK_EQ(dsb_if_indextoname(1, text, IF_NAMESIZE - 1), -EINVAL);
    TEST_MAIN_END();
}
