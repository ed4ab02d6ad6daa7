/* The UDP_SEGMENT control message of the GSO loops, shared by cbench and libdsbench. */
#ifndef BENCH_GSO_H
#define BENCH_GSO_H
#include <netinet/udp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#ifdef UDP_SEGMENT
/* msg's control buffer holds CMSG_SPACE(sizeof(uint16_t)) zeroed bytes: one UDP_SEGMENT = seg. */
static inline void put_udp_segment(struct msghdr *msg, uint16_t seg) {
    struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    memcpy(CMSG_DATA(cm), &seg, sizeof seg);
}
#endif
#endif
