package io.dualsock.lab;

import java.util.List;
import java.util.Objects;

/**
 * One echo server of a lab being built, declared fluently: {@link Lab.Builder#server(String)}
 * adds it at once with defaults and every call here changes it; {@link #and()} goes back to the
 * lab's builder.
 *
 * <pre>{@code
 * Lab.builder()
 *         .host("srv", Stack.DUAL)
 *         .server("srv").ipv6().v6only(false).port(8080).and()
 *         .server("srv").ipv4().port(9090).id("legacy").and()
 *         .start();
 * }</pre>
 *
 * The defaults: the family the host has ({@link Family#IPV6} unless it is IPv4-only),
 * {@code IPV6_V6ONLY} off, port {@value ServerOptions#DEFAULT_PORT}, and the id, name and label of
 * {@link ServerOptions}. The values are those of a {@link ServerOptions}, checked when the lab
 * builds its topology.
 */
public final class ServerBuilder {
    private final Lab.Builder lab;
    private final List<Topology.Server> servers;
    private final int index;
    private final Topology.Host host;
    private ServerOptions options;

    /** Adds the server to the builder's list at once, so a declaration without {@link #and()} counts too. */
    ServerBuilder(Lab.Builder lab, List<Topology.Server> servers, Topology.Host host) {
        this.lab = lab;
        this.servers = servers;
        this.host = host;
        this.index = servers.size();
        this.options = ServerOptions.of(host.stack().hasIpv6() ? Family.IPV6 : Family.IPV4);
        servers.add(options.on(host));
    }

    /** An {@code AF_INET} server on {@code 0.0.0.0}. */
    public ServerBuilder ipv4() {
        return options(options.family(Family.IPV4));
    }

    /** An {@code AF_INET6} server on {@code ::}. */
    public ServerBuilder ipv6() {
        return options(options.family(Family.IPV6));
    }

    /** {@code IPV6_V6ONLY} on ({@code true}: IPv6 clients only) or off (the default: IPv4 clients too, as mapped peers). */
    public ServerBuilder v6only(boolean on) {
        return options(options.v6only(on));
    }

    /** The TCP and UDP port (1..65535; default {@value ServerOptions#DEFAULT_PORT}). */
    public ServerBuilder port(int port) {
        return options(options.port(port));
    }

    /** The server's id in reports and {@link Served#server()}; see {@link ServerOptions#id()}. */
    public ServerBuilder id(String id) {
        return options(options.id(id));
    }

    /** The DNS name clients resolve to reach it; see {@link ServerOptions#name()}. */
    public ServerBuilder name(String name) {
        return options(options.name(name));
    }

    /** Its heading in reports; see {@link ServerOptions#label()}. */
    public ServerBuilder label(String label) {
        return options(options.label(label));
    }

    /** All values at once, replacing those set so far. */
    public ServerBuilder options(ServerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        servers.set(index, options.on(host));
        return this;
    }

    /** The values so far. */
    public ServerOptions options() {
        return options;
    }

    /** Back to the lab's builder. */
    public Lab.Builder and() {
        return lab;
    }

    /** The next server: {@code and().server(host)}. */
    public ServerBuilder server(String host) {
        return lab.server(host);
    }

    /** {@code and().start()}: builds and starts the lab. */
    public Lab start() {
        return lab.start();
    }
}
