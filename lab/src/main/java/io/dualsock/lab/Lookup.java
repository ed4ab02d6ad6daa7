package io.dualsock.lab;

import java.util.List;

/**
 * A {@code getaddrinfo} call made inside a lab host, with the host's name table.
 *
 * @param name the host argument
 * @param service the service argument
 * @param hints the hints as {@code Hints.toString()} prints them
 * @param addresses the results in libc's order (empty on error)
 * @param error the EAI_* name, or null on success
 * @param errno the errno name for EAI_SYSTEM, else null
 * @param detail the whole error message, or null
 */
public record Lookup(String name, String service, String hints, List<Resolved> addresses, String error, String errno,
                     String detail) {
    public Lookup {
        addresses = List.copyOf(addresses);
    }

    public boolean ok() {
        return error == null;
    }

    /**
     * One result: its {@code ai_family} ("AF_INET"/"AF_INET6"), address as {@code inet_ntop}
     * prints it, port, and whether it is IPv4-mapped.
     */
    public record Resolved(String family, String address, int port, boolean v4mapped) {
        /** The IP version packets to this address use: IPv4 for IPv4 and mapped addresses. */
        public Family onTheWire() {
            return family.equals("AF_INET") || v4mapped ? Family.IPV4 : Family.IPV6;
        }

        /** The family of a socket that can take this address. */
        public Family socketFamily() {
            return family.equals("AF_INET") ? Family.IPV4 : Family.IPV6;
        }

        /** {@code 198.51.100.1:7007} or {@code [2001:db8::1]:7007}. */
        public String endpoint() {
            return family.equals("AF_INET") ? address + ":" + port : "[" + address + "]:" + port;
        }
    }
}
