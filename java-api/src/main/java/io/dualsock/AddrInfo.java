package io.dualsock;

/**
 * One {@code struct addrinfo} of a {@code getaddrinfo(3)} result, copied out of libc's list.
 *
 * @param family {@code ai_family}
 * @param socktype {@code ai_socktype}
 * @param protocol {@code ai_protocol}
 * @param flags {@code ai_flags} as libc left them in the result
 * @param address {@code ai_addr}: an {@link Inet4SockAddr} or {@link Inet6SockAddr}
 *     (mapped addresses stay {@link Inet6SockAddr}); null only for a family other than
 *     AF_INET/AF_INET6, which getaddrinfo does not return on Linux
 * @param canonicalName {@code ai_canonname}, or null (libc sets it on the first result only,
 *     and only with {@code AI_CANONNAME})
 */
public record AddrInfo(int family, int socktype, int protocol, int flags, SockAddr address, String canonicalName) {

    /** True when the address is an IPv4-mapped IPv6 address. */
    public boolean isV4Mapped() {
        return address instanceof Inet6SockAddr a6 && a6.isV4Mapped();
    }

    @Override
    public String toString() {
        return Names.family(family) + " " + Names.socktype(socktype) + " " + Names.protocol(protocol) + " "
                + address + (canonicalName != null ? " canon=" + canonicalName : "");
    }
}
