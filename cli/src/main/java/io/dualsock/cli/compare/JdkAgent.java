package io.dualsock.cli.compare;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.bindings.Errors;
import io.dualsock.lab.JsonLineProcess;

/**
 * An ordinary Java program inside a lab host, for the matrix's Java rows and columns: started
 * as {@code ip netns exec ds-<host> java [-Djava.net.prefer...] ... JdkAgent <host> <setting>},
 * it resolves and connects the way Java code does ({@code new Socket()} +
 * {@code connect(new InetSocketAddress(name, port))}: the first address of
 * {@code InetAddress.getAllByName}, in the JDK's order; {@code DatagramChannel} for UDP) and
 * serves with {@code ServerSocket}/{@code DatagramChannel} on the wildcard address. Next to what
 * the JDK reports it reads the kernel's view of the same descriptor ({@link KernelView}).
 *
 * <p>Protocol as the lab's own agent: one JSON object per line; requests {@code {"id":n,"op":..}}
 * on stdin, answers {@code {"id":n,"ok":true,..}} and events {@code {"event":"served",..}} on
 * stdout. Operations:
 * <ul>
 *   <li>{@code hello} → host, setting, java, preferIPv4Stack, preferIPv6Addresses;</li>
 *   <li>{@code serve} {server, transport (tcp|udp), port} → outcome (ok or the exception), local
 *       (the JDK's view), kernelLocal, family (SO_DOMAIN), v6only;</li>
 *   <li>{@code exchange} {name, port, transport (tcp|udp|udp-connected), timeoutMs, token} →
 *       addresses (getAllByName, the JDK's order), used, outcome (ok, an errno name derived from
 *       the exception's strerror text, or the exception's class), exception, step, local,
 *       kernelLocal, family, replyFrom.</li>
 * </ul>
 * Event {@code served} {server, transport, peer (the kernel's getpeername/recvfrom view),
 * jdkPeer (what the JDK reported), local, payload, end}.
 */
@SuppressWarnings("try") // a channel opened only to read the family of its descriptor
public final class JdkAgent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final String setting;
    private final PrintStream out;

    private JdkAgent(String host, String setting, PrintStream out) {
        this.host = host;
        this.setting = setting;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        JdkAgent a = new JdkAgent(args.length > 0 ? args[0] : "?", args.length > 1 ? args[1] : "?", protocol);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        JsonLineProcess.answerRequests(in, a::handle, Exception::toString, a::write);
        System.exit(0);
    }

    private synchronized void write(ObjectNode n) {
        out.println(n.toString());
    }

    private void handle(JsonNode req, ObjectNode reply) throws Exception {
        switch (req.path("op").asText()) {
            case "hello" -> {
                reply.put("host", host);
                reply.put("setting", setting);
                reply.put("java", System.getProperty("java.runtime.version"));
                reply.put("preferIPv4Stack", System.getProperty("java.net.preferIPv4Stack"));
                reply.put("preferIPv6Addresses", System.getProperty("java.net.preferIPv6Addresses"));
                // Which family this JDK's sockets are here (it decides per host: no IPv6 configured, no AF_INET6).
                java.util.Set<Integer> before = KernelView.socketFds();
                try (DatagramChannel dc = DatagramChannel.open()) {
                    reply.put("family", KernelView.family(KernelView.newSocketFd(before)));
                }
            }
            case "serve" -> serve(req, reply);
            case "exchange" -> exchange(req, reply);
            default -> throw new IllegalArgumentException("unknown op " + req.path("op").asText());
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

    /** ECONNREFUSED for "Connection refused", else the exception's class name. */
    static String outcome(Exception e) {
        if (e instanceof SocketTimeoutException) return "TIMEOUT";
        if (e instanceof UnknownHostException) return "UnknownHostException";
        if (e instanceof java.net.PortUnreachableException) return "ECONNREFUSED";
        String m = e.getMessage();
        if (m != null) {
            for (Map.Entry<String, String> t : BY_TEXT.entrySet()) {
                if (m.contains(t.getKey())) return t.getValue();
            }
        }
        return e.getClass().getSimpleName();
    }

    // ---- servers -------------------------------------------------------------------------------

    private void serve(JsonNode req, ObjectNode reply) throws IOException {
        String id = req.path("server").asText();
        boolean tcp = req.path("transport").asText().equals("tcp");
        int port = req.path("port").asInt();
        try {
            if (tcp) {
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(port), 64);
                describeServer(reply, true, port, ss.getLocalSocketAddress().toString());
                Thread t = new Thread(() -> acceptLoop(id, ss), "ds-jdk-accept");
                t.setDaemon(true);
                t.start();
            } else {
                DatagramChannel dc = DatagramChannel.open().bind(new InetSocketAddress(port));
                describeServer(reply, false, port, dc.getLocalAddress().toString());
                int fd = KernelView.find(false, port, 0).fd();
                Thread t = new Thread(() -> udpLoop(id, dc, fd), "ds-jdk-udp");
                t.setDaemon(true);
                t.start();
            }
            reply.put("outcome", "ok");
        } catch (IOException e) {
            reply.put("outcome", outcome(e));
            reply.put("exception", e.toString());
        }
    }

    private static void describeServer(ObjectNode reply, boolean tcp, int port, String jdkLocal) {
        reply.put("local", jdkLocal);
        KernelView.Found f = KernelView.find(tcp, port, 0);
        String fam = KernelView.family(f.fd());
        reply.put("family", fam);
        reply.put("kernelLocal", KernelView.local(f.fd()).replaceFirst("^AF_INET6? ", ""));
        if (fam.equals("AF_INET6")) {
            reply.put("v6only", String.valueOf(KernelView.intOpt(f.fd(), KernelView.IPPROTO_IPV6, KernelView.IPV6_V6ONLY)));
        }
    }

    private void acceptLoop(String id, ServerSocket ss) {
        while (true) {
            Socket c;
            try {
                c = ss.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> serveConnection(id, ss.getLocalPort(), c), "ds-jdk-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Reads a line, echoes it, shuts down output, reads to the client's FIN (as the lab's agent does). */
    private void serveConnection(String id, int serverPort, Socket c) {
        ObjectNode ev = event(id, "tcp");
        ev.put("jdkPeer", String.valueOf(c.getRemoteSocketAddress()));
        try (c) {
            try {
                KernelView.Found f = KernelView.find(true, serverPort, c.getPort());
                ev.put("peer", KernelView.peer(f.fd()).replaceFirst("^AF_INET6? ", ""));
                ev.put("local", KernelView.local(f.fd()).replaceFirst("^AF_INET6? ", ""));
            } catch (RuntimeException e) {
                ev.put("peer", String.valueOf(c.getRemoteSocketAddress()).replaceFirst("^/", ""));
            }
            c.setSoTimeout(5000);
            byte[] got = readLine(c.getInputStream());
            ev.put("payload", new String(got, StandardCharsets.UTF_8).strip());
            OutputStream o = c.getOutputStream();
            o.write(got);
            o.flush();
            c.shutdownOutput();
            InputStream in = c.getInputStream();
            while (in.read() >= 0) {
                // to the client's FIN: every packet of the exchange has then arrived
            }
            ev.put("end", "eof");
        } catch (IOException e) {
            ev.put("end", outcome(e));
        }
        write(ev);
    }

    private void udpLoop(String id, DatagramChannel dc, int fd) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (true) {
            buf.clear();
            ObjectNode ev = event(id, "udp");
            try {
                String kernelSource = KernelView.peekSource(fd, -1);
                InetSocketAddress src = (InetSocketAddress) dc.receive(buf);
                buf.flip();
                ev.put("peer", kernelSource.replaceFirst("^AF_INET6? ", ""));
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
            write(ev);
        }
    }

    private static ObjectNode event(String server, String transport) {
        ObjectNode ev = JSON.createObjectNode();
        ev.put("event", "served");
        ev.put("server", server);
        ev.put("transport", transport);
        return ev;
    }

    private static byte[] readLine(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        int n = 0;
        while (n < buf.length) {
            int b = in.read();
            if (b < 0) break;
            buf[n++] = (byte) b;
            if (b == '\n') break;
        }
        return Arrays.copyOf(buf, n);
    }

    // ---- client --------------------------------------------------------------------------------

    private static String kind(InetAddress a) {
        return a instanceof Inet4Address ? "Inet4Address" : "Inet6Address";
    }

    private static void exchange(JsonNode req, ObjectNode reply) {
        String name = req.path("name").asText();
        int port = req.path("port").asInt();
        String transport = req.path("transport").asText();
        int timeout = (int) req.path("timeoutMs").asLong(1000);
        byte[] payload = ("dualsock-lab " + req.path("token").asText() + "\n").getBytes(StandardCharsets.UTF_8);
        ArrayNode all = reply.putArray("addresses");
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                all.addObject().put("type", kind(a)).put("address", JdkSide.describe(a).address());
            }
        } catch (UnknownHostException e) {
            // the exchange below fails the same way and says so
        }
        String step = "resolve";
        try {
            // What Java code writes: the name goes into an InetSocketAddress, which keeps the
            // first address InetAddress.getByName returns.
            InetSocketAddress dst = new InetSocketAddress(name, port);
            if (dst.isUnresolved()) throw new UnknownHostException(name);
            reply.put("used", kind(dst.getAddress()) + " " + JdkSide.describe(dst.getAddress()).address());
            byte[] got;
            if (transport.equals("tcp")) {
                try (Socket s = new Socket()) {
                    step = "connect";
                    s.connect(dst, Math.max(timeout, 2000));
                    client(reply, true, s.getLocalPort(), port, String.valueOf(s.getLocalSocketAddress()));
                    s.setSoTimeout(timeout);
                    step = "send";
                    s.getOutputStream().write(payload);
                    step = "recv";
                    got = readLine(s.getInputStream());
                    while (s.getInputStream().read() >= 0) {
                        // to the server's FIN
                    }
                }
            } else {
                try (DatagramChannel dc = DatagramChannel.open()) {
                    boolean connected = transport.equals("udp-connected");
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
            if (Arrays.equals(got, payload)) {
                reply.put("outcome", "ok");
            } else {
                reply.put("outcome", "BADREPLY");
                reply.put("exception", "expected the echo of " + payload.length + " bytes, got " + got.length);
            }
        } catch (IOException | RuntimeException e) {
            reply.put("outcome", e instanceof IOException io ? outcome(io) : e.getClass().getSimpleName());
            reply.put("step", step);
            reply.put("exception", e.toString());
        }
    }

    /** The JDK's local address and the kernel's view of the same socket: family and getsockname. */
    private static void client(ObjectNode reply, boolean tcp, int localPort, int remotePort, String jdkLocal) {
        reply.put("local", jdkLocal);
        try {
            KernelView.Found f = KernelView.find(tcp, localPort, remotePort);
            reply.put("family", KernelView.family(f.fd()));
            reply.put("kernelLocal", KernelView.local(f.fd()).replaceFirst("^AF_INET6? ", ""));
        } catch (RuntimeException e) {
            reply.put("family", "?");
        }
    }
}
