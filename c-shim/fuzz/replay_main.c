/*
 * Runs a fuzz target over saved inputs without libFuzzer: every file named, and every file
 * in every directory named, once, in name order. Built with the normal compiler (gcc) in
 * every build, so that the seed corpora and the crash regressions (corpus/, regress/) run in
 * plain ctest and in the AddressSanitizer/UBSan ctest, clang or not.
 * Exit 0 when all ran, 77 when the target cannot run here (its initializer said so).
 */
#include "fuzz_common.h"
#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return -1; }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) abort();
    /* an exactly-sized copy, as libFuzzer passes it, so over-reads are caught here too */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) abort();
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int run_path(const char *path, long *count) {
    struct stat st;
    if (stat(path, &st) < 0) return 0; /* a missing corpus directory is an empty one */
    if (!S_ISDIR(st.st_mode)) {
        if (run_file(path) < 0) return -1;
        ++*count;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) { perror(path); return -1; }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
        if (!names) abort();
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) abort();
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && run_path(names[i], count) < 0) rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    long count = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) < 0) return 1;
    printf("%s: %ld inputs replayed, no failure\n", argv[0], count);
    return 0;
}
