/*
 * gai_ref: the C reference for dualsock's resolver tests. Calls getaddrinfo(3) exactly as
 * asked and prints each result on one line, in libc's order:
 *   family socktype protocol address port flowinfo scope_id canonname|-
 * or "error CODE" (the EAI_* number) on failure, with gai_strerror's text on stderr as
 * "gai_strerror: TEXT". Usage:
 *   gai_ref HOST|-null SERVICE|-null FAMILY SOCKTYPE PROTOCOL FLAGS   (numbers, any base)
 *   gai_ref -nameinfo ADDRESS PORT FLAGS
 * The second form reads ADDRESS (with an optional %scope) through getaddrinfo with
 * AI_NUMERICHOST, then prints what getnameinfo(3) says for it: "HOST SERV" or "error CODE".
 * Any string argument may be given as "hex:" followed by its bytes in hex, so that tests can
 * pass bytes that the command line's encoding would change (non-ASCII, control characters),
 * and HOST/ADDRESS as "-stdin" to read it from standard input (beyond the kernel's 128 KiB
 * limit on one argument).
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <locale.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static const char *read_stdin(void) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n - 1, stdin)) > 0) {
        n += got;
        if (n + 1 == cap) buf = realloc(buf, cap *= 2);
    }
    if (buf == NULL) {
        fprintf(stderr, "gai_ref: out of memory\n");
        exit(2);
    }
    buf[n] = '\0';
    return buf; /* freed at exit */
}

/* NULL for "-null"; stdin for "-stdin"; the decoded bytes for "hex:..."; else the argument. */
static const char *arg(const char *s) {
    if (strcmp(s, "-null") == 0) return NULL;
    if (strcmp(s, "-stdin") == 0) return read_stdin();
    if (strncmp(s, "hex:", 4) != 0) return s;
    s += 4;
    size_t n = strlen(s);
    char *out = malloc(n / 2 + 1);
    if (out == NULL || n % 2 != 0) {
        fprintf(stderr, "gai_ref: bad hex argument\n");
        exit(2);
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "gai_ref: bad hex argument\n");
            exit(2);
        }
        out[i] = (char)(hi * 16 + lo);
    }
    out[n / 2] = '\0';
    return out; /* freed at exit */
}

static int fail(int rc) {
    printf("error %d\n", rc);
    fprintf(stderr, "gai_strerror: %s\n", gai_strerror(rc));
    return 0;
}

static int nameinfo(const char *address, const char *port, int flags) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    int rc = getaddrinfo(address, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "gai_ref: %s is not a numeric address: %s\n", address, gai_strerror(rc));
        return 2;
    }
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    rc = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, serv, sizeof serv, flags);
    freeaddrinfo(res);
    if (rc != 0) return fail(rc);
    printf("%s %s\n", host, serv);
    return 0;
}

int main(int argc, char **argv) {
    /* the JVM sets the locale from the environment too: same gai_strerror language */
    setlocale(LC_ALL, "");
    if (argc == 5 && strcmp(argv[1], "-nameinfo") == 0)
        return nameinfo(arg(argv[2]), argv[3], (int)strtol(argv[4], NULL, 0));
    if (argc != 7) {
        fprintf(stderr, "usage: gai_ref HOST|-null SERVICE|-null FAMILY SOCKTYPE PROTOCOL FLAGS\n"
                        "       gai_ref -nameinfo ADDRESS PORT FLAGS\n");
        return 2;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = (int)strtol(argv[3], NULL, 0);
    hints.ai_socktype = (int)strtol(argv[4], NULL, 0);
    hints.ai_protocol = (int)strtol(argv[5], NULL, 0);
    hints.ai_flags = (int)strtol(argv[6], NULL, 0);
    int rc = getaddrinfo(arg(argv[1]), arg(argv[2]), &hints, &res);
    if (rc != 0) return fail(rc);
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        char text[INET6_ADDRSTRLEN] = "?";
        unsigned port = 0, flow = 0, scope = 0;
        if (ai->ai_family == AF_INET) {
            struct sockaddr_in *s = (struct sockaddr_in *)ai->ai_addr;
            inet_ntop(AF_INET, &s->sin_addr, text, sizeof text);
            port = ntohs(s->sin_port);
        } else if (ai->ai_family == AF_INET6) {
            struct sockaddr_in6 *s = (struct sockaddr_in6 *)ai->ai_addr;
            inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof text);
            port = ntohs(s->sin6_port);
            flow = ntohl(s->sin6_flowinfo);
            scope = s->sin6_scope_id;
        }
        printf("%d %d %d %s %u %u %u %s\n", ai->ai_family, ai->ai_socktype, ai->ai_protocol, text,
               port, flow, scope, ai->ai_canonname ? ai->ai_canonname : "-");
    }
    freeaddrinfo(res);
    return 0;
}
