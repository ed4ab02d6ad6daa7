package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The lab's process inside one host: started as {@code ip netns exec ds-<host> java ...
 * io.dualsock.lab.Agent <host>}, so it runs in the host's network namespace and, through the
 * bind mounts {@code ip netns exec} makes, sees the host's name table. It serves echo sockets
 * and runs single client attempts on request, all through dualsock's own API
 * ({@link Resolver}, {@link NativeSocket}), and reads its namespace's counters.
 *
 * <p>Protocol: one JSON object per line. The orchestrator writes requests
 * {@code {"id":n,"op":...}} to stdin; the agent answers each in order with
 * {@code {"id":n,"ok":true,...}} or {@code {"id":n,"ok":false,"error":"..."}} on stdout, and
 * writes unsolicited events {@code {"event":"served",...}} when a server has finished an
 * exchange. Nothing else is written to stdout ({@code System.out} is sent to stderr). End of
 * stdin ends the agent, so a killed orchestrator never leaves agents behind — unless the
 * agent was told to {@code detach} (for {@code --keep}), when it keeps serving until killed.
 *
 * <p>Operations: {@code hello}, {@code counters}, {@code serve}, {@code resolve},
 * {@code exchange}, {@code detach}; see {@link AgentProcess} for their fields.
 */
public final class Agent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final PrintStream out;
    private final Map<String, EchoServer> servers = new ConcurrentHashMap<>();
    private volatile boolean detached;

    private Agent(String host, PrintStream out) {
        this.host = host;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        // Load the shim and its constants while the orchestrator is still wiring the network,
        // so that the first serve or exchange does not pay for it.
        Thread preload = new Thread(() -> {
            try {
                Hints.builder().inet6().flags(AiFlag.V4MAPPED).build();
                NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM).close();
            } catch (Throwable ignored) {
                // the request that needs it will report the failure
            }
        }, "ds-agent-preload");
        preload.setDaemon(true);
        preload.start();
        Agent a = new Agent(args.length > 0 ? args[0] : "?", protocol);
        a.loop(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void loop(BufferedReader in) throws IOException {
        JsonLineProcess.answerRequests(in, this::handle, e -> e.getClass().getSimpleName() + ": " + e.getMessage(), this::write);
        if (detached) {
            // --keep: the orchestrator is gone on purpose; go on serving until the lab is removed.
            try {
                Thread.currentThread().join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(0);
    }

    private synchronized void write(ObjectNode n) {
        if (out.checkError() && detached) return;
        out.println(n.toString());
    }

    private void handle(JsonNode req, ObjectNode reply) throws Exception {
        String op = req.path("op").asText();
        switch (op) {
            case "hello" -> {
                reply.put("host", host);
                reply.put("pid", ProcessHandle.current().pid());
                reply.put("netns", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
                reply.put("java", System.getProperty("java.version"));
            }
            case "counters" -> reply.set("counters", JSON.valueToTree(KernelCounters.read().values()));
            case "serve" -> serve(req, reply);
            case "resolve" -> resolve(req, reply);
            case "exchange" -> exchange(req, reply);
            case "detach" -> detached = true;
            default -> throw new IllegalArgumentException("unknown op \"" + op + "\"");
        }
    }

    // ------------------------------------------------------------------ servers

    private void serve(JsonNode req, ObjectNode reply) throws NativeSocketException {
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
                ObjectNode ev = event("server-failed");
                ev.put("error", e.getMessage());
                write(ev);
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
            ObjectNode ev = event("served");
            ev.put("transport", "tcp");
            ev.put("peer", a.peer().toString());
            try (NativeSocket c = a.socket()) {
                ev.put("local", c.localAddress().toString());
                c.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, Duration.ofSeconds(5));
                byte[] got = readLine(c);
                ev.put("payload", new String(got, StandardCharsets.UTF_8).strip());
                c.send(got);
                c.shutdown(NativeSocket.SHUT_WR);
                byte[] rest = new byte[256];
                while (c.recv(rest) > 0) {
                    // discard: the client sends nothing more than its FIN
                }
                ev.put("end", "eof");
            } catch (NativeSocketException e) {
                ev.put("end", e.errnoName());
            }
            write(ev);
        }

        private void udpLoop() throws NativeSocketException {
            byte[] buf = new byte[2048];
            while (true) {
                NativeSocket.ReceivedFrom r = sock.recvFrom(buf);
                ObjectNode ev = event("served");
                ev.put("transport", "udp");
                ev.put("peer", r.source().toString());
                ev.put("payload", new String(buf, 0, r.length(), StandardCharsets.UTF_8).strip());
                try {
                    sock.sendTo(buf, 0, r.length(), r.source());
                    ev.put("end", "replied");
                } catch (NativeSocketException e) {
                    ev.put("end", e.errnoName());
                }
                write(ev);
            }
        }

        private ObjectNode event(String kind) {
            ObjectNode ev = JSON.createObjectNode();
            ev.put("event", kind);
            ev.put("server", id);
            return ev;
        }
    }

    private static byte[] readLine(NativeSocket s) throws NativeSocketException {
        byte[] buf = new byte[1024];
        int n = 0;
        while (n < buf.length) {
            int r = s.recv(buf, n, buf.length - n);
            if (r <= 0) break;
            n += r;
            if (buf[n - 1] == '\n') break;
        }
        return Arrays.copyOf(buf, n);
    }

    // ------------------------------------------------------------------ resolver

    /** getaddrinfo as the client would call it, with this host's name table. */
    private static void resolve(JsonNode req, ObjectNode reply) {
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
     * One client attempt: a socket of the requested family, one exchange with the destination,
     * and this namespace's counter changes around it. Fields: family, transport (tcp|udp),
     * connected (udp), address, port, timeoutMs, token.
     */
    private static void exchange(JsonNode req, ObjectNode reply) throws IOException {
        KernelCounters before = KernelCounters.read();
        Family family = Family.parse(req.path("family").asText());
        boolean tcp = req.path("transport").asText().equals("tcp");
        boolean connected = req.path("connected").asBoolean(tcp);
        SockAddr dst = SockAddr.parse(req.path("address").asText(), req.path("port").asInt());
        Duration timeout = Duration.ofMillis(req.path("timeoutMs").asLong(1000));
        byte[] payload = ("dualsock-lab " + req.path("token").asText() + "\n").getBytes(StandardCharsets.UTF_8);
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
                got = readLine(s);
                byte[] rest = new byte[256];
                while (s.recv(rest) > 0) {
                    // until the server's FIN
                }
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
            if (Arrays.equals(got, payload)) {
                reply.put("outcome", "ok");
            } else {
                reply.put("outcome", "BADREPLY");
                reply.put("detail", "expected the echo of " + payload.length + " bytes, got " + got.length);
            }
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
        KernelCounters after = KernelCounters.read();
        reply.set("counters", JSON.valueToTree(after.minus(before)));
    }
}
