#ifndef DS_INTERNAL_H
#define DS_INTERNAL_H
#define _GNU_SOURCE 1
#include <sys/socket.h>
#include <netinet/in.h>

#define DS_GAI_HEADER_SIZE 16
#define DS_GAI_ENTRY_FIXED 48
/* sockaddr holder: a sockaddr_storage, then a uint32 length. */
#define DS_HOLDER_LEN_OFFSET ((int)sizeof(struct sockaddr_storage))
#define DS_HOLDER_SIZE ((int)sizeof(struct sockaddr_storage) + 8)
#define DS_NI_HEADER 8
/* batch (ds_batch.c): header, then slot records of a holder and three int32 */
#define DS_BATCH_HEADER_SIZE 80
#define DS_BATCH_LEN_OFFSET DS_HOLDER_SIZE
#define DS_BATCH_RES_OFFSET (DS_HOLDER_SIZE + 4)
#define DS_BATCH_FLAGS_OFFSET (DS_HOLDER_SIZE + 8)
#define DS_BATCH_SLOT_SIZE (DS_HOLDER_SIZE + 16)

/* Length of the kernel sockaddr for the family stored in sa, or 0 when unsupported. */
socklen_t ds_sockaddr_len(const void *sa);
#endif
