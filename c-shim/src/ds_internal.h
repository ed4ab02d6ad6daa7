#ifndef DS_INTERNAL_H
#define DS_INTERNAL_H
#define _GNU_SOURCE 1
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>

/* Length of the kernel sockaddr for the family stored in sa, or 0 when unsupported. */
socklen_t ds_sockaddr_len(const void *sa);

/* Every getaddrinfo error code this libc defines, once: X(EAI_...) for each (the ds_constant
 * table, ds_eai_name's table, and the check that none equals -EINVAL). */
#ifdef EAI_NODATA
#define DS_EAI_NODATA(X) X(EAI_NODATA)
#else
#define DS_EAI_NODATA(X)
#endif
#ifdef EAI_ADDRFAMILY
#define DS_EAI_ADDRFAMILY(X) X(EAI_ADDRFAMILY)
#else
#define DS_EAI_ADDRFAMILY(X)
#endif
#ifdef EAI_INPROGRESS /* glibc's asynchronous getaddrinfo_a codes */
#define DS_EAI_ASYNC(X) X(EAI_INPROGRESS) X(EAI_CANCELED) X(EAI_NOTCANCELED) X(EAI_ALLDONE) X(EAI_INTR)
#else
#define DS_EAI_ASYNC(X)
#endif
#ifdef EAI_IDN_ENCODE
#define DS_EAI_IDN_ENCODE(X) X(EAI_IDN_ENCODE)
#else
#define DS_EAI_IDN_ENCODE(X)
#endif
#define DS_EAI_CODES(X)                                                                             \
    X(EAI_BADFLAGS) X(EAI_NONAME) X(EAI_AGAIN) X(EAI_FAIL) X(EAI_FAMILY) X(EAI_SOCKTYPE)            \
    X(EAI_SERVICE) X(EAI_MEMORY) X(EAI_SYSTEM) X(EAI_OVERFLOW) DS_EAI_NODATA(X) DS_EAI_ADDRFAMILY(X) \
    DS_EAI_ASYNC(X) DS_EAI_IDN_ENCODE(X)
#endif
