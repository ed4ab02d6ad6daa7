#ifndef DS_INTERNAL_H
#define DS_INTERNAL_H
#define _GNU_SOURCE 1
#include <sys/socket.h>
#include <netinet/in.h>

/* Length of the kernel sockaddr for the family stored in sa, or 0 when unsupported. */
socklen_t ds_sockaddr_len(const void *sa);
#endif
