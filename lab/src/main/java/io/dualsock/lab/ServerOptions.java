package io.dualsock.lab;

import java.util.Objects;

/**
 * What {@link Lab.Builder#server(String, ServerOptions)} starts on a host: a TCP and a UDP echo
 * server of one family on one port, with {@code IPV6_V6ONLY} on or off. Start from
 * {@link #ipv4()} or {@link #ipv6()} and change what differs:
 * {@code ServerOptions.ipv6().v6only(true).port(8080)}. The lab checks the values when it
 * builds its topology ({@link TopologyException}: a port outside 1..65535, v6only on an IPv4
 * server, two servers that would share a host and port).
 *
 * @param family the sockets' family
 * @param v6only {@code IPV6_V6ONLY} on the IPv6 sockets: {@code true} serves IPv6 clients only,
 *               {@code false} (Linux's default, {@code net.ipv6.bindv6only=0}) also IPv4 clients,
 *               seen as IPv4-mapped peers; always {@code false} for IPv4
 * @param port the TCP and UDP port, {@value #DEFAULT_PORT} unless given
 */
public record ServerOptions(Family family, boolean v6only, int port) {
    /** The port of a server whose options name none. */
    public static final int DEFAULT_PORT = 7007;

    /** Checks that the family is given. */
    public ServerOptions {
        Objects.requireNonNull(family, "family");
    }

    /** An IPv4 server on port {@value #DEFAULT_PORT}. */
    public static ServerOptions ipv4() {
        return of(Family.IPV4);
    }

    /** An IPv6 server with {@code IPV6_V6ONLY} off (it also serves IPv4 clients) on port {@value #DEFAULT_PORT}. */
    public static ServerOptions ipv6() {
        return of(Family.IPV6);
    }

    /** A server of this family, {@code IPV6_V6ONLY} off, on port {@value #DEFAULT_PORT}. */
    public static ServerOptions of(Family family) {
        return new ServerOptions(family, false, DEFAULT_PORT);
    }

    /** These options with {@code IPV6_V6ONLY} on ({@code true}: IPv6 clients only) or off. */
    public ServerOptions v6only(boolean on) {
        return new ServerOptions(family, on, port);
    }

    /** These options on another TCP and UDP port (1..65535). */
    public ServerOptions port(int port) {
        return new ServerOptions(family, v6only, port);
    }
}
