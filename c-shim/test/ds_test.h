/* A minimal test harness: CHECK records a failure and goes on; main returns failures. */
#ifndef DS_TEST_H
#define DS_TEST_H
#include <stdio.h>
static int ds_failures;
static int ds_checks;
#define CHECK(cond) do { ds_checks++; if (!(cond)) { ds_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); ds_checks++; \
    if (a_ != b_) { ds_failures++; fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", \
    __FILE__, __LINE__, #a, a_, #b, b_); } } while (0)
#define TEST_MAIN_END() do { printf("%d checks, %d failed\n", ds_checks, ds_failures); \
    return ds_failures ? 1 : 0; } while (0)
#endif
