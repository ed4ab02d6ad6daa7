package io.dualsock.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.bindings.Errors;

/**
 * The {@value Agent#JDK} side of the {@link Agent}: an ordinary Java program. It resolves and
 * connects the way Java code does ({@code new Socket()} +
 * {@code connect(new InetSocketAddress(name, port))}: the first address of
 * {@code InetAddress.getAllByName}, in the JDK's order; {@code DatagramChannel} for UDP) and
 * serves with {@code ServerSocket}/{@code DatagramChannel} on the wildcard address, under
 * whatever {@code java.net} properties the agent's JVM was started with. Next to what the JDK
 * reports it reads the kernel's view of the same descriptor ({@link KernelView}).
 */
@SuppressWarnings("try") // a channel opened only to read the family of its descriptor
final class JdkAgentSide implements Agent.Side {
    private final Consumer<ObjectNode> events;

    JdkAgentSide(Consumer<ObjectNode> events) {
        this.events = events;
    }

    /** family: which family this JDK's sockets are here (it decides per host: no IPv6 configured, no AF_INET6). */
    @Override
    public void hello(ObjectNode reply) throws IOException {
        Set<Integer> before = KernelView.socketFds();
        try (DatagramChannel dc = DatagramChannel.open()) {
            reply.put("family", KernelView.family(KernelView.newSocketFd(before)));
        }
    }

    // ---- errno names for the JDK's exception texts ---------------------------------------------

    private static final Map<String, String> BY_TEXT = new LinkedHashMap<>();

    static {
        // The JDK's socket exceptions carry strerror(3) text; the table comes from this libc.
        for (int e = 1; e < 200; e++) {
            String name = Errors.errnoName(e);
            String text = Errors.strerror(e);
            if (name != null && name.startsWith("E") && text != null && !text.startsWith("Unknown error")) {
                BY_TEXT.putIfAbsent(text, name);
            }
        }
    }

    /** ECONNREFUSED for "Connection refused", TIMEOUT for a time limit, else the exception's class name. */
    static String outcome(Exception e) {
        if (e instanceof SocketTimeoutException) return "TIMEOUT";
        if (e instanceof UnknownHostException) return "UnknownHostException";
        if (e instanceof PortUnreachableException) return "ECONNREFUSED";
        String m = e.getMessage();
        if (m != null) {
            for (Map.Entry<String, String> t : BY_TEXT.entrySet()) {
                if (m.contains(t.getKey())) return t.getValue();
            }
        }
        return e.getClass().getSimpleName();
    }

    // ---- servers -------------------------------------------------------------------------------

    /**
     * Fields: server, transport (tcp|udp), port. Answer: outcome (ok or the exception), local (the
     * JDK's view), kernelLocal, family (SO_DOMAIN), v6only ("0"/"1" as getsockopt read it), detail.
     */
    @Override
    public void serve(JsonNode req, ObjectNode reply) {
        String id = req.path("server").asText();
        boolean tcp = req.path("transport").asText().equals("tcp");
        int port = req.path("port").asInt();
        try {
            if (tcp) {
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(port), 64);
                describeServer(reply, true, port, ss.getLocalSocketAddress().toString());
                Daemons.start("ds-jdk-accept",
                        () -> Daemons.acceptEach(ss, "ds-jdk-conn", c -> serveConnection(id, ss.getLocalPort(), c)));
            } else {
                DatagramChannel dc = DatagramChannel.open().bind(new InetSocketAddress(port));
                describeServer(reply, false, port, dc.getLocalAddress().toString());
                int fd = KernelView.find(false, port, 0).fd();
                Daemons.start("ds-jdk-udp", () -> udpLoop(id, dc, fd));
            }
            reply.put("outcome", "ok");
        } catch (IOException e) {
            reply.put("outcome", outcome(e));
            reply.put("detail", e.toString());
        }
    }

    private static void describeServer(ObjectNode reply, boolean tcp, int port, String jdkLocal) {
        reply.put("local", jdkLocal);
        KernelView.Found f = KernelView.find(tcp, port, 0);
        String fam = KernelView.family(f.fd());
        reply.put("family", fam);
        reply.put("kernelLocal", kernelText(KernelView.local(f.fd())));
        if (fam.equals("AF_INET6")) {
            reply.put("v6only", String.valueOf(KernelView.intOpt(f.fd(), IpprotoIpv6.IPV6_V6ONLY)));
        }
    }

    /** KernelView's text without its family: {@code [::ffff:198.51.100.21]:4711}. */
    private static String kernelText(String described) {
        return described.replaceFirst("^AF_INET6? ", "");
    }

    /** Reads a line, echoes it, shuts down output, reads to the client's FIN (as the native side does). */
    private void serveConnection(String id, int serverPort, Socket c) {
        ObjectNode ev = Agent.served(id, "tcp");
        ev.put("jdkPeer", String.valueOf(c.getRemoteSocketAddress()));
        try (c) {
            try {
                KernelView.Found f = KernelView.find(true, serverPort, c.getPort());
                ev.put("peer", kernelText(KernelView.peer(f.fd())));
                ev.put("local", kernelText(KernelView.local(f.fd())));
            } catch (RuntimeException e) {
                ev.put("peer", String.valueOf(c.getRemoteSocketAddress()).replaceFirst("^/", ""));
            }
            c.setSoTimeout(5000);
            InputStream in = c.getInputStream();
            byte[] got = Agent.readLine(in::read);
            ev.put("payload", new String(got, StandardCharsets.UTF_8).strip());
            OutputStream o = c.getOutputStream();
            o.write(got);
            o.flush();
            c.shutdownOutput();
            Agent.readToEnd(in::read);
            ev.put("end", "eof");
        } catch (IOException e) {
            ev.put("end", outcome(e));
        }
        events.accept(ev);
    }

    private void udpLoop(String id, DatagramChannel dc, int fd) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (true) {
            buf.clear();
            ObjectNode ev = Agent.served(id, "udp");
            try {
                String kernelSource = KernelView.peekSource(fd, -1);
                InetSocketAddress src = (InetSocketAddress) dc.receive(buf);
                buf.flip();
                ev.put("peer", kernelText(kernelSource));
                ev.put("jdkPeer", String.valueOf(src));
                ev.put("payload", StandardCharsets.UTF_8.decode(buf.duplicate()).toString().strip());
                try {
                    dc.send(buf, src);
                    ev.put("end", "replied");
                } catch (IOException e) {
                    ev.put("end", outcome(e));
                }
            } catch (IOException e) {
                return;
            }
            events.accept(ev);
        }
    }

    // ---- resolver ------------------------------------------------------------------------------

    /** Field: name. Answer: addresses ({@code InetAddress.getAllByName}, the JDK's order), or error and detail. */
    @Override
    public void resolve(JsonNode req, ObjectNode reply) {
        try {
            addresses(req.path("name").asText(), reply);
        } catch (UnknownHostException e) {
            reply.put("error", "UnknownHostException");
            reply.put("detail", e.toString());
        }
    }

    /** {@code addresses}: every address of getAllByName as {type (Inet4Address|Inet6Address), address}. */
    private static void addresses(String name, ObjectNode reply) throws UnknownHostException {
        ArrayNode all = reply.putArray("addresses");
        for (InetAddress a : InetAddress.getAllByName(name)) all.addObject().put("type", kind(a)).put("address", text(a));
    }

    private static String kind(InetAddress a) {
        return a instanceof Inet4Address ? "Inet4Address" : "Inet6Address";
    }

    /** {@code inet_ntop} text, a mapped address kept as such, the scope id after '%'. */
    private static String text(InetAddress a) {
        if (a instanceof Inet4Address) return new Inet4SockAddr(a.getAddress(), 0).address();
        String addr = new Inet6SockAddr(a.getAddress(), 0, 0, 0).address();
        int scope = ((Inet6Address) a).getScopeId();
        return scope != 0 ? addr + "%" + scope : addr;
    }

    // ---- client --------------------------------------------------------------------------------

    /**
     * Fields: name, port, transport (tcp|udp), connected (udp), timeoutMs, token. Answer:
     * addresses (as {@link #resolve}), used (the address {@code InetSocketAddress} kept), outcome
     * (ok, an errno name derived from the exception's strerror text, TIMEOUT, BADREPLY or the
     * exception's class), step, detail, local (the JDK's view), kernelLocal, family, replyFrom.
     */
    @Override
    public void exchange(JsonNode req, ObjectNode reply) {
        String name = req.path("name").asText();
        int port = req.path("port").asInt();
        boolean tcp = req.path("transport").asText().equals("tcp");
        boolean connected = req.path("connected").asBoolean(tcp);
        int timeout = (int) req.path("timeoutMs").asLong(1000);
        byte[] payload = Agent.payload(req);
        try {
            addresses(name, reply);
        } catch (UnknownHostException e) {
            // the exchange below fails the same way and says so
        }
        String step = "resolve";
        try {
            // What Java code writes: the name goes into an InetSocketAddress, which keeps the
            // first address InetAddress.getByName returns.
            InetSocketAddress dst = new InetSocketAddress(name, port);
            if (dst.isUnresolved()) throw new UnknownHostException(name);
            reply.put("used", kind(dst.getAddress()) + " " + text(dst.getAddress()));
            byte[] got;
            if (tcp) {
                try (Socket s = new Socket()) {
                    step = "connect";
                    s.connect(dst, Math.max(timeout, 2000));
                    client(reply, true, s.getLocalPort(), port, String.valueOf(s.getLocalSocketAddress()));
                    s.setSoTimeout(timeout);
                    step = "send";
                    s.getOutputStream().write(payload);
                    step = "recv";
                    InputStream in = s.getInputStream();
                    got = Agent.readLine(in::read);
                    Agent.readToEnd(in::read);
                }
            } else {
                try (DatagramChannel dc = DatagramChannel.open()) {
                    if (connected) {
                        step = "connect";
                        dc.connect(dst);
                    }
                    step = connected ? "send" : "sendto";
                    dc.send(ByteBuffer.wrap(payload), dst);
                    int lp = ((InetSocketAddress) dc.getLocalAddress()).getPort();
                    client(reply, false, lp, connected ? port : 0, String.valueOf(dc.getLocalAddress()));
                    step = connected ? "recv" : "recvfrom";
                    dc.socket().setSoTimeout(timeout);
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    dc.socket().receive(p);
                    reply.put("replyFrom", String.valueOf(p.getSocketAddress()));
                    got = Arrays.copyOf(p.getData(), p.getLength());
                }
            }
            Agent.checkEcho(reply, payload, got);
        } catch (IOException | RuntimeException e) {
            reply.put("outcome", e instanceof IOException io ? outcome(io) : e.getClass().getSimpleName());
            reply.put("step", step);
            reply.put("detail", e.toString());
        }
    }

    /** The JDK's local address and the kernel's view of the same socket: family and getsockname. */
    private static void client(ObjectNode reply, boolean tcp, int localPort, int remotePort, String jdkLocal) {
        reply.put("local", jdkLocal);
        try {
            KernelView.Found f = KernelView.find(tcp, localPort, remotePort);
            reply.put("family", KernelView.family(f.fd()));
            reply.put("kernelLocal", kernelText(KernelView.local(f.fd())));
        } catch (RuntimeException e) {
            reply.put("family", "?");
        }
    }
}
