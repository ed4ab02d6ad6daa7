/* ds_locale_info: the locale's name and character set, exact-size buffers, argument checks. */
#include "ds_test.h"
#include "dualsock.h"
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

static void same_as_libc(void) {
    char buf[256];
    const char *ctype = setlocale(LC_CTYPE, NULL);
    CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, buf, sizeof buf), strlen(ctype));
    CHECK(strcmp(buf, ctype) == 0);
    const char *codeset = nl_langinfo(CODESET);
    int32_t n = ds_locale_info(DS_LOCALE_CODESET, buf, sizeof buf);
    CHECK_EQ(n, strlen(codeset));
    CHECK(strcmp(buf, codeset) == 0);
    /* exactly enough room, and one byte less */
    char exact[64];
    CHECK_EQ(ds_locale_info(DS_LOCALE_CODESET, exact, n + 1), n);
    CHECK(strcmp(exact, codeset) == 0);
    CHECK_EQ(ds_locale_info(DS_LOCALE_CODESET, exact, n), -ERANGE);
}

int main(void) {
    char buf[64];
    /* a C program starts in the "C" locale until it calls setlocale */
    CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, buf, sizeof buf), 1);
    CHECK(strcmp(buf, "C") == 0);
    CHECK(ds_locale_info(DS_LOCALE_CODESET, buf, sizeof buf) > 0);
    CHECK(strcmp(buf, "ANSI_X3.4-1968") == 0);
    same_as_libc();
    /* what the JVM does with LANG=C.UTF-8 (present on Debian; skipped where it is not) */
    if (setlocale(LC_ALL, "C.UTF-8") != NULL) {
        CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, buf, sizeof buf), strlen("C.UTF-8"));
        CHECK(strcmp(buf, "C.UTF-8") == 0);
        CHECK(ds_locale_info(DS_LOCALE_CODESET, buf, sizeof buf) > 0);
        CHECK(strcmp(buf, "UTF-8") == 0);
        same_as_libc();
    } else {
        printf("C.UTF-8 not installed: only the C locale checked\n");
    }
    /* reading never changes it */
    char before[64];
    strncpy(before, setlocale(LC_CTYPE, NULL), sizeof before - 1);
    before[sizeof before - 1] = '\0';
    ds_locale_info(DS_LOCALE_CTYPE, buf, sizeof buf);
    ds_locale_info(DS_LOCALE_CODESET, buf, sizeof buf);
    CHECK(strcmp(setlocale(LC_CTYPE, NULL), before) == 0);
    CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, NULL, 64), -EINVAL);
    CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, buf, 0), -EINVAL);
    CHECK_EQ(ds_locale_info(DS_LOCALE_CTYPE, buf, -1), -EINVAL);
    CHECK_EQ(ds_locale_info(2, buf, sizeof buf), -EINVAL);
    CHECK_EQ(ds_locale_info(-1, buf, sizeof buf), -EINVAL);
    TEST_MAIN_END();
}
