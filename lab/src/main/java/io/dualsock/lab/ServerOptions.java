package io.dualsock.lab;

import java.util.Objects;

/**
 * What a lab echo server is: a TCP and a UDP echo server of one family on one port, with
 * {@code IPV6_V6ONLY} on or off, and how the lab names it. The one description of a server the
 * builder takes, fluently through {@link Lab.Builder#server(String)} (a {@link ServerBuilder}:
 * {@code .server("b").ipv6().v6only(true).port(8080)}) or whole through
 * {@link Lab.Builder#server(String, ServerOptions)} ({@code ServerOptions.ipv6().v6only(true).port(8080)}).
 * The lab checks the values when it builds its topology ({@link TopologyException}: a port
 * outside 1..65535, v6only on an IPv4 server, two servers that would share a host and port, an
 * id or name used twice).
 *
 * @param family the sockets' family
 * @param v6only {@code IPV6_V6ONLY} on the IPv6 sockets: {@code true} serves IPv6 clients only,
 *               {@code false} (Linux's default, {@code net.ipv6.bindv6only=0}) also IPv4 clients,
 *               seen as IPv4-mapped peers; always {@code false} for IPv4
 * @param port the TCP and UDP port, {@value #DEFAULT_PORT} unless given
 * @param id the server's id in reports and {@link Served#server()}, or null for
 *           {@code <host>-<family>} (plus {@code -<port>} when the port is not {@value #DEFAULT_PORT})
 * @param name the DNS name clients resolve to reach it, or null for the host's first name
 * @param label the server's heading in reports, or null for {@code "<IPv4|IPv6> server on <host>"}
 */
public record ServerOptions(Family family, boolean v6only, int port, String id, String name, String label) {
    /** The port of a server whose options name none. */
    public static final int DEFAULT_PORT = 7007;

    /** Checks that the family is given. */
    public ServerOptions {
        Objects.requireNonNull(family, "family");
    }

    /** A server with the default id, name and label. */
    public ServerOptions(Family family, boolean v6only, int port) {
        this(family, v6only, port, null, null, null);
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

    /** These options with another family (the rest kept). */
    public ServerOptions family(Family family) {
        return new ServerOptions(family, v6only, port, id, name, label);
    }

    /** These options with {@code IPV6_V6ONLY} on ({@code true}: IPv6 clients only) or off. */
    public ServerOptions v6only(boolean on) {
        return new ServerOptions(family, on, port, id, name, label);
    }

    /** These options on another TCP and UDP port (1..65535). */
    public ServerOptions port(int port) {
        return new ServerOptions(family, v6only, port, id, name, label);
    }

    /** These options with the server's id (1..32 characters {@code A-Za-z0-9_.-}); null for the default. */
    public ServerOptions id(String id) {
        return new ServerOptions(family, v6only, port, id, name, label);
    }

    /** These options with the DNS name clients resolve (a name of the lab); null for the host's first name. */
    public ServerOptions name(String name) {
        return new ServerOptions(family, v6only, port, id, name, label);
    }

    /** These options with a heading for reports; null for the default. */
    public ServerOptions label(String label) {
        return new ServerOptions(family, v6only, port, id, name, label);
    }

    /** The topology's server these options make on a host, the defaults filled in. */
    Topology.Server on(Topology.Host host) {
        String h = host.name();
        String sid = id != null ? id : h + "-" + family.id() + (port == DEFAULT_PORT ? "" : "-" + port);
        String sname = name != null ? name : host.names().isEmpty() ? null : host.names().get(0);
        return new Topology.Server(sid, h, family, v6only, sname, port, label != null ? label : family.label() + " server on " + h);
    }
}
