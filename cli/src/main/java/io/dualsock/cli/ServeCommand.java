package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.ClosedSocketException;
import io.dualsock.ControlMessages;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.cli.demo.SockAddrView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dualsock serve}: an echo server that prints every peer exactly as the kernel reported it. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        resourceBundle = "io.dualsock.cli.help.serve",
        sortOptions = false,
        description = {
            "Echo server on one AF_INET or AF_INET6 socket: prints each peer exactly as accept(2)/recvmsg(2) "
                + "reported it (an IPv4 client of a dual-stack AF_INET6 server is ::ffff:a.b.c.d, marked "
                + SockAddrView.MAPPED_MARKER + ") and sends the data back.",
            "First line: 'listening on ADDR:PORT (FAMILY, TYPE[, IPV6_V6ONLY=0|1])' with the address getsockname(2) "
                + "reports, so PORT 0 lets the kernel choose and the line tells which port it chose. IPV6_V6ONLY is "
                + "the value getsockopt(2) reads back (without --v6only: the net.ipv6.bindv6only default).",
            "TCP: SO_REUSEADDR is set (as UNP's tcp_listen does); one connection at a time, read and echoed until the "
                + "client closes. UDP: every datagram is read with recvmsg(2) and IPV6_RECVPKTINFO (AF_INET6) or "
                + "IP_PKTINFO (AF_INET) on, printed with the address it was sent to and the interface it came in on, "
                + "and goes back with sendmsg(2) to its source exactly as recvmsg reported it (a mapped source stays "
                + "mapped), from that address.",
            "Runs until SIGINT or SIGTERM (sockets closed, exit 0) or until --count peers (TCP connections) or "
                + "datagrams (UDP) have been served.",
            "",
            "Exit status: 0 stopped by a signal or --count, 1 a socket call failed (its errno name on stderr, "
                + "e.g. EADDRINUSE), 2 bad usage."})
final class ServeCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "PORT", description = "Port to bind, 0..65535 (0: the kernel picks one).")
    int port;

    @Mixin
    HintOptions.Family family;

    @Option(names = "--v6only", arity = "1", paramLabel = "true|false",
            description = "Set IPV6_V6ONLY before bind (AF_INET6 only; default: leave the system default).")
    Boolean v6only;

    @Mixin
    HintOptions.Proto proto;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Numeric local address (default the wildcard, 0.0.0.0 or ::); no name lookup.")
    String bind;

    @Option(names = "--count", paramLabel = "N",
            description = "Stop after N peers (TCP connections) or datagrams (UDP).")
    Integer count;

    @Option(names = "--json", description = "One JSON object per line and event instead of text.")
    boolean json;

    private volatile String stopReason;
    private volatile NativeSocket listener;
    private volatile NativeSocket current;

    @Override
    public Integer call() throws NativeSocketException {
        if (port < 0 || port > 0xffff) throw usage("PORT must be 0..65535, got " + port);
        if (count != null && count < 1) throw usage("--count must be at least 1, got " + count);
        int type = proto.socktype();
        SockAddr local = localAddress();
        int fam = local.family();
        if (v6only != null && fam != NativeSocket.AF_INET6) {
            throw usage("--v6only applies to AF_INET6 sockets only (IPV6_V6ONLY is an IPPROTO_IPV6 option)");
        }
        Consumer<String> stop = this::stop;
        Signals.register(stop);
        try (NativeSocket s = NativeSocket.open(fam, type)) {
            listener = s;
            if (stopReason != null) return stopped(0); // a signal before the socket existed
            if (type == NativeSocket.SOCK_STREAM) s.setOption(SolSocket.SO_REUSEADDR, true);
            if (v6only != null) s.setOption(IpprotoIpv6.IPV6_V6ONLY, v6only);
            s.bind(local);
            if (type == NativeSocket.SOCK_STREAM) s.listen(16);
            listening(s);
            int served = type == NativeSocket.SOCK_STREAM ? serveTcp(s) : serveUdp(s);
            return stopped(served);
        } finally {
            Signals.unregister(stop);
        }
    }

    private SockAddr localAddress() {
        Integer fam = null;
        if (family.given()) {
            int f = family.value(0);
            if (f != NativeSocket.AF_INET && f != NativeSocket.AF_INET6) {
                throw usage("serve needs --family inet or inet6, got " + Names.family(f));
            }
            fam = f;
        }
        if (bind == null) {
            if (fam == null) throw usage("missing --family inet|inet6 (or a --bind address that gives it)");
            return fam == NativeSocket.AF_INET ? Inet4SockAddr.any(port) : Inet6SockAddr.any(port);
        }
        SockAddr a;
        try {
            a = SockAddr.parse(bind, port);
        } catch (IllegalArgumentException e) {
            throw usage("--bind: " + e.getMessage());
        }
        if (fam != null && a.family() != fam) {
            throw usage("--bind " + bind + " is not an " + Names.family(fam) + " address");
        }
        return a;
    }

    /** Runs on the signal's thread: closing the sockets wakes accept/recv in the serving thread. */
    private void stop(String signal) {
        stopReason = signal;
        NativeSocket l = listener;
        if (l != null) l.close();
        NativeSocket c = current;
        if (c != null) c.close();
    }

    private void listening(NativeSocket s) throws NativeSocketException {
        SockAddr bound = s.localAddress();
        Boolean v6 = s.family() == NativeSocket.AF_INET6 ? s.getOption(IpprotoIpv6.IPV6_V6ONLY) : null;
        if (json) {
            ObjectNode o = event("listening");
            o.set("local", SockAddrView.json(bound));
            o.put("family", Names.family(s.family()));
            o.put("socktype", Names.socktype(s.type()));
            if (v6 == null) o.putNull("v6only");
            else o.put("v6only", v6);
            o.put("reuseaddr", s.type() == NativeSocket.SOCK_STREAM);
            Json.writeLine(out(), o);
        } else {
            text("listening on " + bound + " (" + Names.family(s.family()) + ", " + Names.socktype(s.type())
                    + (v6 == null ? "" : ", IPV6_V6ONLY=" + (v6 ? 1 : 0)) + ")");
        }
    }

    private int serveTcp(NativeSocket l) throws NativeSocketException {
        int peers = 0;
        while (count == null || peers < count) {
            NativeSocket.Accepted acc;
            try {
                acc = l.accept();
            } catch (ClosedSocketException e) {
                if (stopReason != null) break;
                throw e;
            } catch (NativeSocketException e) {
                // A connection reset while queued is that client's problem, not the server's.
                if ("ECONNABORTED".equals(e.errnoName()) || "EPROTO".equals(e.errnoName())) {
                    error("accept", null, e);
                    continue;
                }
                throw e;
            }
            peers++;
            current = acc.socket();
            if (stopReason != null) {
                acc.socket().close();
                break;
            }
            connection(acc);
            current = null;
        }
        return peers;
    }

    private void connection(NativeSocket.Accepted acc) {
        SockAddr peer = acc.peer();
        long total = 0;
        try (NativeSocket s = acc.socket()) {
            SockAddr local = s.localAddress();
            if (json) {
                ObjectNode o = event("accept");
                o.set("peer", SockAddrView.json(peer));
                o.set("local", SockAddrView.json(local));
                Json.writeLine(out(), o);
            } else {
                text("accept   peer " + SockAddrView.text(peer) + ", local " + SockAddrView.text(local));
            }
            byte[] buf = new byte[65536];
            for (;;) {
                int n = s.recv(buf);
                if (n == 0) break;
                int echoed = 0;
                while (echoed < n) echoed += s.send(buf, echoed, n - echoed);
                total += n;
                String payload = SockAddrView.payload(buf, n);
                echoed("data", "peer", peer, n, echoed, payload,
                        "recv     " + n + " bytes from " + peer + ", echoed " + echoed + ": " + SockAddrView.quoted(payload));
            }
            if (json) {
                ObjectNode o = event("eof");
                o.set("peer", SockAddrView.json(peer));
                o.put("bytes", total);
                Json.writeLine(out(), o);
            } else {
                text("eof      " + peer + " closed after " + total + " bytes");
            }
        } catch (ClosedSocketException e) {
            if (stopReason == null) error(e.call(), peer, e);
        } catch (NativeSocketException e) {
            error(e.call(), peer, e);
        }
    }

    private int serveUdp(NativeSocket s) throws NativeSocketException {
        // The destination of each datagram: IPV6_PKTINFO also covers IPv4 on a dual-stack socket.
        if (s.family() == NativeSocket.AF_INET6) s.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, true);
        else s.setOption(IpprotoIp.IP_PKTINFO, true);
        SockAddrHolder source = new SockAddrHolder();
        ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
        ControlMessages reply = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        byte[] copy = new byte[b.capacity()];
        int datagrams = 0;
        while (count == null || datagrams < count) {
            b.clear();
            // a socket closed by stop() ends the loop wherever it finds it
            try {
                int n = s.receiveMessage(b, source, in, 0);
                datagrams++;
                SockAddr peer = source.sockAddr();
                b.flip();
                int len = b.remaining();
                b.get(0, copy, 0, len);
                String destination = in.hasIpv6Pktinfo() ? in.ipv6PktinfoAddress().address()
                        : in.hasIpPktinfo() ? in.ipPktinfoAddress().address() : null;
                int ifindex = in.hasIpv6Pktinfo() ? in.ipv6PktinfoIfindex() : in.hasIpPktinfo() ? in.ipPktinfoIfindex() : 0;
                int echoed;
                try {
                    // Back to the source exactly as reported (a mapped source stays mapped), from the
                    // address the datagram was sent to (on a host with several, routing might pick another).
                    reply.clear();
                    if (destination != null) reply.addReplySource(in);
                    echoed = s.sendMessage(b, source, reply, 0);
                } catch (NativeSocketException e) {
                    if (e instanceof ClosedSocketException) throw e;
                    error("sendmsg", peer, e);
                    continue;
                }
                String payload = SockAddrView.payload(copy, len);
                String iface = interfaceName(ifindex);
                if (json) {
                    ObjectNode o = event("recvmsg");
                    o.set("source", SockAddrView.json(peer));
                    o.put("destination", destination);
                    o.put("ifindex", ifindex);
                    o.put("interface", iface);
                    o.put("bytes", n);
                    o.put("echoed", echoed);
                    o.put("text", payload);
                    Json.writeLine(out(), o);
                } else {
                    text("recvmsg " + n + " bytes from " + SockAddrView.text(peer) + " to " + destination + " (ifindex " + ifindex
                            + (iface == null ? "" : " " + iface) + "), sendmsg it back from " + destination + ": " + echoed
                            + " " + SockAddrView.quoted(payload) + (in.isDataTruncated() ? " (MSG_TRUNC)" : ""));
                }
            } catch (ClosedSocketException e) {
                if (stopReason != null) break;
                throw e;
            }
        }
        return datagrams;
    }

    /** The interface's name as the JDK lists this thread's interfaces (null when it cannot say). */
    private static String interfaceName(int ifindex) {
        try {
            java.net.NetworkInterface ni = java.net.NetworkInterface.getByIndex(ifindex);
            return ni == null ? null : ni.getName();
        } catch (java.net.SocketException | IllegalArgumentException e) {
            return null;
        }
    }

    /** One read and its echo: the JSON event {@code name} with the peer under {@code peerField}, or the text line. */
    private void echoed(String name, String peerField, SockAddr peer, int bytes, int echoed, String payload, String line) {
        if (json) {
            ObjectNode o = event(name);
            o.set(peerField, SockAddrView.json(peer));
            o.put("bytes", bytes);
            o.put("echoed", echoed);
            o.put("text", payload);
            Json.writeLine(out(), o);
        } else {
            text(line);
        }
    }

    private int stopped(int served) {
        String why = stopReason != null ? stopReason : "count";
        boolean tcp = proto.name().equals("tcp");
        if (json) {
            ObjectNode o = event("stopped");
            o.put("reason", why);
            o.put(tcp ? "peers" : "datagrams", served);
            Json.writeLine(out(), o);
        } else {
            String what = served + (tcp ? (served == 1 ? " peer" : " peers") : (served == 1 ? " datagram" : " datagrams"));
            text("stopped  " + (stopReason != null ? "by " + stopReason + " after " + what : "after " + what + " (--count " + count + ")"));
        }
        return ExitCodes.OK;
    }

    private void error(String call, SockAddr peer, NativeSocketException e) {
        if (json) {
            ObjectNode o = event("error");
            o.put("call", call);
            o.set("peer", SockAddrView.json(peer));
            o.put("errno", e.errnoName());
            o.put("message", e.getMessage());
            Json.writeLine(out(), o);
        } else {
            text("error    " + call + (peer == null ? "" : " with " + peer) + ": " + e.getMessage());
        }
    }

    private static ObjectNode event(String name) {
        ObjectNode o = Json.object();
        o.put("event", name);
        return o;
    }

    private void text(String line) {
        out().println(line);
        out().flush();
    }

    /**
     * While a server is registered, SIGINT and SIGTERM close it (exit 0) instead of ending the JVM;
     * an inherited "ignore" stays. {@code sun.misc.Signal} (jdk.unsupported, JEP 260) is reached by
     * reflection and a {@link Proxy} only because javac warns on every direct use of it.
     */
    static final class Signals {
        private Signals() {}

        private static final String[] NAMES = {"INT", "TERM"};
        private static final Set<Consumer<String>> ACTIVE = new LinkedHashSet<>();
        private static final Map<String, Object> PREVIOUS = new LinkedHashMap<>();

        static synchronized void register(Consumer<String> stop) {
            if (ACTIVE.isEmpty()) install();
            ACTIVE.add(stop);
        }

        static synchronized void unregister(Consumer<String> stop) {
            ACTIVE.remove(stop);
            if (ACTIVE.isEmpty()) restore();
        }

        private static void onSignal(Object signal, String name) {
            Set<Consumer<String>> targets;
            Object previous;
            synchronized (Signals.class) {
                targets = Set.copyOf(ACTIVE);
                previous = PREVIOUS.get(name);
            }
            if (targets.isEmpty()) {
                // Between unregister and restore: behave as before we came.
                if (previous != null) invokeHandler(previous, signal);
                return;
            }
            for (Consumer<String> t : targets) t.accept("SIG" + name);
        }

        private static void install() {
            try {
                Class<?> sigClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Constructor<?> ctor = sigClass.getConstructor(String.class);
                Method handle = sigClass.getMethod("handle", sigClass, handlerClass);
                Object ignore = handlerClass.getField("SIG_IGN").get(null);
                for (String name : NAMES) {
                    Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                            (proxy, m, args) -> switch (m.getName()) {
                                case "handle" -> {
                                    onSignal(args[0], name);
                                    yield null;
                                }
                                case "hashCode" -> System.identityHashCode(proxy);
                                case "equals" -> proxy == args[0];
                                default -> "dualsock serve SIG" + name + " handler";
                            });
                    Object sig = ctor.newInstance(name);
                    try {
                        Object old = handle.invoke(null, sig, handler);
                        if (old == ignore) {
                            handle.invoke(null, sig, ignore);
                        } else {
                            PREVIOUS.put(name, old);
                        }
                    } catch (ReflectiveOperationException e) {
                        // The JVM keeps this signal for itself (-Xrs, or in use): default behaviour stays.
                    }
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // No sun.misc.Signal on this runtime: a signal ends the JVM as usual.
            }
        }

        private static void restore() {
            try {
                Class<?> sigClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Method handle = sigClass.getMethod("handle", sigClass, handlerClass);
                Constructor<?> ctor = sigClass.getConstructor(String.class);
                for (Map.Entry<String, Object> e : PREVIOUS.entrySet()) {
                    handle.invoke(null, ctor.newInstance(e.getKey()), e.getValue());
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                // Nothing was installed.
            }
            PREVIOUS.clear();
        }

        private static void invokeHandler(Object handler, Object signal) {
            try {
                Class<?> sigClass = Class.forName("sun.misc.Signal");
                Class.forName("sun.misc.SignalHandler").getMethod("handle", sigClass).invoke(handler, signal);
            } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
                // SIG_DFL cannot be called from Java; the next signal finds the default restored.
            }
        }
    }
}
