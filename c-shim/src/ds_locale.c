/* The locale libc works in, for callers that must know how it converts text (AI_IDN). */
#include "ds_internal.h"
#include "dualsock.h"
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

int32_t ds_locale_info(int32_t which, char *buf, int32_t buflen) {
    if (buf == NULL || buflen <= 0) return -EINVAL;
    const char *s;
    switch (which) {
    case DS_LOCALE_CTYPE: s = setlocale(LC_CTYPE, NULL); break; /* NULL: query, never change */
    case DS_LOCALE_CODESET: s = nl_langinfo(CODESET); break;
    default: return -EINVAL;
    }
    if (s == NULL) s = "";
    size_t n = strlen(s);
    if (n >= (size_t)buflen) return -ERANGE;
    memcpy(buf, s, n + 1);
    return (int32_t)n;
}
