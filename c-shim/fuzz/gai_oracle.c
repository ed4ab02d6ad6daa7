/*
 * gai_oracle: libc's getaddrinfo as a line-oriented server, the reference the Java fuzz tests
 * (fuzz/ module) compare Resolver.getaddrinfo against without starting a process per input.
 * Independent of the shim: it calls getaddrinfo(3) directly and prints libc's list.
 *
 * Request, one line:  HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS
 *   HOST and SERVICE are lower-case hex of the bytes, or "-" for NULL ("" is written "=");
 *   the four numbers are decimal int32.
 * Reply: "ok N" then N lines
 *   FAMILY SOCKTYPE PROTOCOL FLAGS ADDRHEX PORT FLOWINFO SCOPE CANONHEX|-
 * (ADDRHEX is "-" for a family other than AF_INET/AF_INET6), or "error CODE ERRNO".
 *
 * The oracle adds AI_NUMERICHOST to every request itself: whatever a caller sends, no name is
 * ever looked up (see fuzz_common.h on network safety).
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *unhex(const char *s) {
    if (strcmp(s, "-") == 0) return NULL;
    if (strcmp(s, "=") == 0) return strdup("");
    size_t n = strlen(s) / 2;
    char *out = malloc(n + 1);
    if (!out) abort();
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) v = '?';
        out[i] = (char)v;
    }
    out[n] = '\0';
    return out;
}

static void hex(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}

int main(void) {
    static char line[1 << 20];
    while (fgets(line, sizeof line, stdin)) {
        static char h[1 << 19], s[1 << 19];
        int fam, st, proto, flags;
        if (sscanf(line, "%524287s %524287s %d %d %d %d", h, s, &fam, &st, &proto, &flags) != 6) {
            printf("bad request\n");
            fflush(stdout);
            continue;
        }
        char *host = unhex(h), *serv = unhex(s);
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = fam;
        hints.ai_socktype = st;
        hints.ai_protocol = proto;
        hints.ai_flags = flags | AI_NUMERICHOST;
        errno = 0;
        int rc = getaddrinfo(host, serv, &hints, &res);
        if (rc != 0) {
            printf("error %d %d\n", rc, rc == EAI_SYSTEM ? errno : 0);
        } else {
            int n = 0;
            for (struct addrinfo *ai = res; ai; ai = ai->ai_next) n++;
            printf("ok %d\n", n);
            for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
                printf("%d %d %d %d ", ai->ai_family, ai->ai_socktype, ai->ai_protocol, ai->ai_flags);
                if (ai->ai_family == AF_INET) {
                    struct sockaddr_in *a = (struct sockaddr_in *)ai->ai_addr;
                    hex(&a->sin_addr, 4);
                    printf(" %u 0 0 ", ntohs(a->sin_port));
                } else if (ai->ai_family == AF_INET6) {
                    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ai->ai_addr;
                    hex(&a->sin6_addr, 16);
                    printf(" %u %u %u ", ntohs(a->sin6_port), ntohl(a->sin6_flowinfo), a->sin6_scope_id);
                } else {
                    printf("- 0 0 0 ");
                }
                if (ai->ai_canonname) hex(ai->ai_canonname, strlen(ai->ai_canonname));
                else printf("-");
                printf("\n");
            }
            freeaddrinfo(res);
        }
        fflush(stdout);
        free(host);
        free(serv);
    }
    return 0;
}
