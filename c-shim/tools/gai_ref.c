/*
 * gai_ref: the C reference for dualsock's resolver tests and fuzz tests. Calls getaddrinfo(3)
 * and getnameinfo(3) directly (never through the shim) and prints libc's answers. Usage:
 *
 *   gai_ref [-numeric] HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS    one getaddrinfo
 *   gai_ref [-numeric] -batch                                         many, from stdin
 *   gai_ref -nameinfo ADDRESS PORT FLAGS                              one getnameinfo
 *
 * HOST, SERVICE, ADDRESS: "-null" is NULL; "hex:" followed by bytes in hex is those bytes
 * ("hex:" alone is the empty string), so that tests can pass bytes the command line would
 * change (non-ASCII, control characters, spaces); anything else is the text itself. One-shot
 * HOST/ADDRESS may be "-stdin": read from standard input (beyond the kernel's 128 KiB limit on
 * one argument). Numbers in any base (strtol base 0). -numeric adds AI_NUMERICHOST to every
 * query, so that no name is ever looked up (the fuzz tests: a fuzzed host must never become a
 * DNS query).
 *
 * -batch reads one query per line, "HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS" with the
 * strings as above, and writes each answer followed by a line "end", flushed, so that a test
 * asks thousands of questions without starting a process for each. A line it cannot read gets
 * "bad request" (then "end").
 *
 * The answer to a getaddrinfo query: one line per result, in libc's order,
 *   FAMILY SOCKTYPE PROTOCOL ADDRESS PORT FLOWINFO SCOPE_ID CANONNAME AI_FLAGS
 * ADDRESS as inet_ntop prints it ("?" for another family); CANONNAME "-" for NULL, else as it
 * is when it is non-empty, has no byte <= 0x20 or 0x7f and is neither "-" nor starts with
 * "hex:", else "hex:" and its bytes; AI_FLAGS what libc left in ai_flags. On failure one line
 * "error CODE ERRNO": the EAI_* number, and errno for EAI_SYSTEM (else 0). One-shot mode also
 * writes "gai_strerror: TEXT" to stderr. getnameinfo's answer: "HOST SERV" or "error CODE".
 *
 * Locale: AI_IDN converts HOST from the locale's character set (and AI_CANONIDN the canonical
 * name to it), and gai_strerror's language follows LC_MESSAGES. The JVM calls
 * setlocale(LC_ALL, "") at start-up, so this program does the same: given the same
 * environment, both ask the same question (issue 20). It reports the locale it got as
 * "locale LC_CTYPE CODESET" (setlocale(LC_CTYPE, NULL), nl_langinfo(CODESET)): the first line
 * of -batch output, on stderr in the other modes.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <langinfo.h>
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

/*
 * NULL for "-null"; the decoded bytes for "hex:..."; else s itself. *bad is set for malformed
 * hex. A decoded string is malloc'd and its address kept in *owned for the caller to free.
 */
static const char *decode(const char *s, char **owned, int *bad) {
    *owned = NULL;
    if (strcmp(s, "-null") == 0) return NULL;
    if (strncmp(s, "hex:", 4) != 0) return s;
    s += 4;
    size_t n = strlen(s);
    if (n % 2 != 0) {
        *bad = 1;
        return NULL;
    }
    char *out = malloc(n / 2 + 1);
    if (out == NULL) {
        fprintf(stderr, "gai_ref: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            *bad = 1;
            return NULL;
        }
        out[i] = (char)(hi * 16 + lo);
    }
    out[n / 2] = '\0';
    *owned = out;
    return out;
}

/* decode() for a command-line argument, which may also be "-stdin"; exits on bad hex. */
static const char *arg(const char *s) {
    if (strcmp(s, "-stdin") == 0) return read_stdin();
    char *owned; /* freed at exit */
    int bad = 0;
    const char *v = decode(s, &owned, &bad);
    if (bad) {
        fprintf(stderr, "gai_ref: bad hex argument\n");
        exit(2);
    }
    return v;
}

static void print_locale(FILE *f) {
    const char *ctype = setlocale(LC_CTYPE, NULL);
    fprintf(f, "locale %s %s\n", ctype ? ctype : "?", nl_langinfo(CODESET));
}

/* The canonical name as one space-free token that the Java side can write the same way. */
static void print_canon(const char *c) {
    if (c == NULL) {
        fputs("-", stdout);
        return;
    }
    int plain = c[0] != '\0' && strcmp(c, "-") != 0 && strncmp(c, "hex:", 4) != 0;
    for (const unsigned char *p = (const unsigned char *)c; plain && *p; p++)
        if (*p <= 0x20 || *p == 0x7f) plain = 0;
    if (plain) {
        fputs(c, stdout);
        return;
    }
    fputs("hex:", stdout);
    for (const unsigned char *p = (const unsigned char *)c; *p; p++) printf("%02x", *p);
}

/* Asks libc and prints the answer (result lines or one error line); returns the EAI code. */
static int query(const char *host, const char *service, int family, int socktype, int protocol,
                 int flags) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = protocol;
    hints.ai_flags = flags;
    errno = 0;
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        printf("error %d %d\n", rc, rc == EAI_SYSTEM ? errno : 0);
        return rc;
    }
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
        printf("%d %d %d %s %u %u %u ", ai->ai_family, ai->ai_socktype, ai->ai_protocol, text, port,
               flow, scope);
        print_canon(ai->ai_canonname);
        printf(" %d\n", ai->ai_flags);
    }
    freeaddrinfo(res);
    return 0;
}

static int batch(int extra_flags) {
    print_locale(stdout);
    fflush(stdout);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        char *tok[7], *save = NULL;
        int n = 0;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 7; t = strtok_r(NULL, " \t\r\n", &save))
            tok[n++] = t;
        char *host_owned = NULL, *serv_owned = NULL;
        int bad = n != 6;
        const char *host = bad ? NULL : decode(tok[0], &host_owned, &bad);
        const char *serv = bad ? NULL : decode(tok[1], &serv_owned, &bad);
        if (bad) {
            printf("bad request\n");
        } else {
            query(host, serv, (int)strtol(tok[2], NULL, 0), (int)strtol(tok[3], NULL, 0),
                  (int)strtol(tok[4], NULL, 0), (int)strtol(tok[5], NULL, 0) | extra_flags);
        }
        printf("end\n");
        fflush(stdout);
        free(host_owned);
        free(serv_owned);
    }
    free(line);
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
    if (rc != 0) {
        printf("error %d\n", rc);
        fprintf(stderr, "gai_strerror: %s\n", gai_strerror(rc));
        return 0;
    }
    printf("%s %s\n", host, serv);
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: gai_ref [-numeric] HOST|-null SERVICE|-null FAMILY SOCKTYPE PROTOCOL FLAGS\n"
                    "       gai_ref [-numeric] -batch\n"
                    "       gai_ref -nameinfo ADDRESS PORT FLAGS\n");
    return 2;
}

int main(int argc, char **argv) {
    /* exactly what the JVM does at start-up: the locale from LANG/LC_* (see the top) */
    setlocale(LC_ALL, "");
    if (argc == 5 && strcmp(argv[1], "-nameinfo") == 0) {
        print_locale(stderr);
        return nameinfo(arg(argv[2]), argv[3], (int)strtol(argv[4], NULL, 0));
    }
    int extra = 0;
    if (argc > 1 && strcmp(argv[1], "-numeric") == 0) {
        extra = AI_NUMERICHOST;
        argc--;
        argv++;
    }
    if (argc == 2 && strcmp(argv[1], "-batch") == 0) return batch(extra);
    if (argc != 7) return usage();
    print_locale(stderr);
    int rc = query(arg(argv[1]), arg(argv[2]), (int)strtol(argv[3], NULL, 0), (int)strtol(argv[4], NULL, 0),
                   (int)strtol(argv[5], NULL, 0), (int)strtol(argv[6], NULL, 0) | extra);
    if (rc != 0) fprintf(stderr, "gai_strerror: %s\n", gai_strerror(rc));
    return 0;
}
