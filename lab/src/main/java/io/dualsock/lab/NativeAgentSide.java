package io.dualsock.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.SocketOptions;

/**
 * The {@value Agent#NATIVE} side of the {@link Agent}: echo servers, {@code getaddrinfo} and
 * client attempts through dualsock's own {@link Resolver} and {@link NativeSocket}, as a C
 * program would make them (the book's servers and clients).
 */
final class NativeAgentSide implements Agent.Side {
    private final Consumer<ObjectNode> events;
    private final Map<String, EchoServer> servers = new ConcurrentHashMap<>();

    NativeAgentSide(Consumer<ObjectNode> events) {
        this.events = events;
    }

    @Override
    public void hello(ObjectNode reply) {
        // nothing beyond the process's facts
    }

    // ------------------------------------------------------------------ servers

    /** Fields: server, family, transport (tcp|udp), port, v6only. */
    @Override
    public void serve(JsonNode req, ObjectNode reply) throws NativeSocketException {
        String id = req.path("server").asText();
        Family family = Family.parse(req.path("family").asText());
        boolean tcp = req.path("transport").asText().equals("tcp");
        int port = req.path("port").asInt();
        boolean v6only = req.path("v6only").asBoolean(false);
        String key = id + "/" + (tcp ? "tcp" : "udp");
        if (servers.containsKey(key)) throw new IllegalStateException("server " + key + " runs already");
        EchoServer s = new EchoServer(id, family, tcp, port, v6only);
        try {
            s.open(reply);
        } catch (NativeSocketException e) {
            s.sock.close();
            reply.put("outcome", e.errnoName());
            reply.put("step", e.call());
            reply.put("detail", e.getMessage());
            return;
        }
        servers.put(key, s);
        reply.put("outcome", "ok");
        Thread t = new Thread(s, "ds-echo-" + key);
        t.setDaemon(true);
        t.start();
    }

    /** An echo server on the wildcard address: TCP (accept loop, a thread per connection) or UDP. */
    private final class EchoServer implements Runnable {
        final String id;
        final Family family;
        final boolean tcp;
        final int port;
        final boolean v6only;
        NativeSocket sock;

        EchoServer(String id, Family family, boolean tcp, int port, boolean v6only) {
            this.id = id;
            this.family = family;
            this.tcp = tcp;
            this.port = port;
            this.v6only = v6only;
        }

        void open(ObjectNode reply) throws NativeSocketException {
            sock = NativeSocket.open(family == Family.IPV4 ? NativeSocket.AF_INET : NativeSocket.AF_INET6,
                    tcp ? NativeSocket.SOCK_STREAM : NativeSocket.SOCK_DGRAM);
            if (tcp) sock.setOption(SocketOptions.SolSocket.SO_REUSEADDR, true);
            if (family == Family.IPV6) {
                // Always set, never inherited from net.ipv6.bindv6only: the topology says what it is.
                sock.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, v6only);
                reply.put("v6only", sock.getOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY));
            }
            sock.bind(family == Family.IPV4 ? Inet4SockAddr.any(port) : Inet6SockAddr.any(port));
            if (tcp) sock.listen(64);
            reply.put("local", sock.localAddress().toString());
        }

        @Override
        public void run() {
            try {
                if (tcp) acceptLoop();
                else udpLoop();
            } catch (NativeSocketException e) {
                ObjectNode ev = Agent.JSON.createObjectNode();
                ev.put("event", "server-failed");
                ev.put("server", id);
                ev.put("error", e.getMessage());
                events.accept(ev);
            }
        }

        private void acceptLoop() throws NativeSocketException {
            while (true) {
                NativeSocket.Accepted a = sock.accept();
                Thread t = new Thread(() -> serveConnection(a), "ds-echo-conn");
                t.setDaemon(true);
                t.start();
            }
        }

        /**
         * Reads one line, echoes it, sends FIN, and reads until the client's FIN: when that read
         * returns, every packet the client sends for this connection has arrived, so counters
         * read after the "served" event hold the whole exchange.
         */
        private void serveConnection(NativeSocket.Accepted a) {
            ObjectNode ev = Agent.served(id, "tcp");
            ev.put("peer", a.peer().toString());
            try (NativeSocket c = a.socket()) {
                ev.put("local", c.localAddress().toString());
                c.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, Duration.ofSeconds(5));
                byte[] got = Agent.readLine(c::recv);
                ev.put("payload", new String(got, StandardCharsets.UTF_8).strip());
                c.send(got);
                c.shutdown(NativeSocket.SHUT_WR);
                Agent.readToEnd(c::recv);
                ev.put("end", "eof");
            } catch (NativeSocketException e) {
                ev.put("end", e.errnoName());
            }
            events.accept(ev);
        }

        private void udpLoop() throws NativeSocketException {
            byte[] buf = new byte[2048];
            while (true) {
                NativeSocket.ReceivedFrom r = sock.recvFrom(buf);
                ObjectNode ev = Agent.served(id, "udp");
                ev.put("peer", r.source().toString());
                ev.put("payload", new String(buf, 0, r.length(), StandardCharsets.UTF_8).strip());
                try {
                    sock.sendTo(buf, 0, r.length(), r.source());
                    ev.put("end", "replied");
                } catch (NativeSocketException e) {
                    ev.put("end", e.errnoName());
                }
                events.accept(ev);
            }
        }
    }

    // ------------------------------------------------------------------ resolver

    /** getaddrinfo as the client would call it, with this host's name table. Fields: host, service, family, socktype, flags. */
    @Override
    public void resolve(JsonNode req, ObjectNode reply) {
        Hints hints = hints(req);
        reply.put("hints", hints.toString());
        try {
            List<AddrInfo> list = Resolver.getaddrinfo(req.path("host").asText(), req.path("service").asText(), hints);
            ArrayNode arr = reply.putArray("addresses");
            for (AddrInfo ai : list) {
                ObjectNode a = arr.addObject();
                a.put("family", ai.address() instanceof Inet6SockAddr ? "AF_INET6" : "AF_INET");
                a.put("address", ai.address().address());
                a.put("port", ai.address().port());
                a.put("v4mapped", ai.isV4Mapped());
            }
        } catch (ResolverException e) {
            reply.put("error", e.codeName());
            if (e.errnoName() != null) reply.put("errno", e.errnoName());
            reply.put("detail", e.getMessage());
        }
    }

    static Hints hints(JsonNode req) {
        Hints.Builder b = Hints.builder();
        switch (req.path("family").asText("unspec")) {
            case "ipv4" -> b.inet();
            case "ipv6" -> b.inet6();
            default -> b.unspec();
        }
        if (req.path("socktype").asText().equals("dgram")) b.dgram();
        else b.stream();
        List<AiFlag> flags = new ArrayList<>();
        for (JsonNode f : req.path("flags")) flags.add(AiFlag.valueOf(f.asText().replaceFirst("^AI_", "")));
        b.flags(flags.toArray(new AiFlag[0]));
        return b.build();
    }

    // ------------------------------------------------------------------ client

    /**
     * One client attempt: a socket of the requested family, one exchange with the destination.
     * Fields: family, transport (tcp|udp), connected (udp), address, port, timeoutMs, token.
     */
    @Override
    public void exchange(JsonNode req, ObjectNode reply) throws IOException {
        Family family = Family.parse(req.path("family").asText());
        boolean tcp = req.path("transport").asText().equals("tcp");
        boolean connected = req.path("connected").asBoolean(tcp);
        SockAddr dst = SockAddr.parse(req.path("address").asText(), req.path("port").asInt());
        Duration timeout = Duration.ofMillis(req.path("timeoutMs").asLong(1000));
        byte[] payload = Agent.payload(req);
        String step = "socket";
        try (NativeSocket s = NativeSocket.open(family == Family.IPV4 ? NativeSocket.AF_INET : NativeSocket.AF_INET6,
                tcp ? NativeSocket.SOCK_STREAM : NativeSocket.SOCK_DGRAM)) {
            byte[] got;
            if (tcp) {
                step = "connect";
                s.connect(dst, Duration.ofMillis(Math.max(timeout.toMillis(), 2000)));
                reply.put("local", s.localAddress().toString());
                step = "send";
                s.send(payload);
                step = "recv";
                s.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, timeout);
                got = Agent.readLine(s::recv);
                Agent.readToEnd(s::recv);
            } else if (connected) {
                step = "connect";
                s.connect(dst);
                reply.put("local", s.localAddress().toString());
                step = "send";
                s.send(payload);
                step = "recv";
                s.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, timeout);
                byte[] buf = new byte[2048];
                int n = s.recv(buf);
                got = Arrays.copyOf(buf, n);
            } else {
                s.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, timeout);
                step = "sendto";
                s.sendTo(payload, dst);
                reply.put("local", s.localAddress().toString());
                step = "recvfrom";
                byte[] buf = new byte[2048];
                NativeSocket.ReceivedFrom r = s.recvFrom(buf);
                reply.put("replyFrom", r.source().toString());
                got = Arrays.copyOf(buf, r.length());
            }
            Agent.checkEcho(reply, payload, got);
        } catch (NativeSocketException e) {
            reply.put("outcome", e.errnoName());
            reply.put("step", step);
            reply.put("detail", e.getMessage());
        } catch (IllegalArgumentException e) {
            // refused by dualsock before any system call (e.g. an IPv6 address for an AF_INET socket)
            reply.put("outcome", "REFUSED_BY_API");
            reply.put("step", step);
            reply.put("detail", e.getMessage());
        }
    }
}
