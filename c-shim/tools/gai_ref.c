/*
 * gai_ref: the C reference for dualsock's resolver tests. Calls getaddrinfo(3) exactly as
 * asked and prints each result on one line, in libc's order:
 *   family socktype protocol address port flowinfo scope_id canonname|-
 * or "error EAI_NAME" on failure. Usage:
 *   gai_ref HOST|-null SERVICE|-null FAMILY SOCKTYPE PROTOCOL FLAGS   (numbers, any base)
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *arg(const char *s) { return strcmp(s, "-null") == 0 ? NULL : s; }

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: gai_ref HOST|-null SERVICE|-null FAMILY SOCKTYPE PROTOCOL FLAGS\n");
        return 2;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = (int)strtol(argv[3], NULL, 0);
    hints.ai_socktype = (int)strtol(argv[4], NULL, 0);
    hints.ai_protocol = (int)strtol(argv[5], NULL, 0);
    hints.ai_flags = (int)strtol(argv[6], NULL, 0);
    int rc = getaddrinfo(arg(argv[1]), arg(argv[2]), &hints, &res);
    if (rc != 0) {
        printf("error %d\n", rc);
        return 0;
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
        printf("%d %d %d %s %u %u %u %s\n", ai->ai_family, ai->ai_socktype, ai->ai_protocol, text,
               port, flow, scope, ai->ai_canonname ? ai->ai_canonname : "-");
    }
    freeaddrinfo(res);
    return 0;
}
