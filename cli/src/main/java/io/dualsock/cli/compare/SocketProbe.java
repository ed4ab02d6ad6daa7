package io.dualsock.cli.compare;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dualsock.AiFlag;
import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.NativeSocket;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.cli.compare.ProbeOutput.SocketFact;
import io.dualsock.lab.KernelView;
import io.dualsock.lab.KernelView.Found;

/**
 * The socket half of the comparison, run inside the JVM being measured: each fact puts one
 * question to a JDK socket and the same question to the kernel about that very descriptor
 * (see {@link KernelView}), on loopback only. Ports are replaced by their role
 * ({@code <server>}, {@code <client>}) so that runs and JDKs can be compared line by line.
 */
// The try-with-resources below hold sockets open on purpose (the peer must stay connected while
// the kernel is asked), hence "try": resources that the body does not mention.
@SuppressWarnings("try")
final class SocketProbe {
    private final List<SocketFact> facts = new ArrayList<>();
    private final Map<Integer, String> ports = new HashMap<>();
    private final boolean v4stack = "true".equalsIgnoreCase(System.getProperty("java.net.preferIPv4Stack"));
    private final OptionFacts options = new OptionFacts(this::fact);

    static final String MAPPED_NOTE = "The kernel reports an IPv4 peer of an AF_INET6 socket as the IPv4-mapped address "
            + "::ffff:a.b.c.d (UNP §12.2). The JDK turns every IPv4-mapped address into an Inet4Address when it builds "
            + "an InetAddress from a kernel sockaddr (NET_SockaddrToInetAddress), so Java code sees a plain IPv4 peer.";
    static final String V4STACK_NOTE = "With preferIPv4Stack=true the JDK's socket is AF_INET: the kernel itself "
            + "reports the IPv4 address, there is nothing to convert.";

    static List<SocketFact> run() {
        SocketProbe p = new SocketProbe();
        p.section("tcp.ServerSocket", p::tcpServerSocket);
        p.section("tcp.ServerSocketChannel", p::tcpServerSocketChannel);
        p.section("udp.DatagramChannel", p::udpDatagramChannel);
        p.section("udp.DatagramSocket", p::udpDatagramSocket);
        p.section("family.clients", p::clientFamilies);
        p.section("mapped", p::mappedAddresses);
        p.section("v6only", p::v6only);
        return p.facts;
    }

    interface Section {
        void run() throws Exception;
    }

    private void section(String id, Section s) {
        long t0 = System.nanoTime();
        try {
            s.run();
            if (Boolean.getBoolean("dualsock.probe.timing")) {
                System.err.printf("%s: %d ms%n", id, (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (Exception | AssertionError e) {
            facts.add(new SocketFact(id + ".error", "probe failed: " + id, e.toString(), "-",
                    "The probe could not finish this section; the exception is shown as the JDK's side."));
        }
    }

    /** Notes the port as the server's, finds the JDK's descriptor on it and records its family fact; that descriptor. */
    private Found serverFamily(boolean tcp, int port, String id, String topic, String jdk) {
        ports.put(port, "server");
        Found f = KernelView.find(tcp, port, 0);
        fact(id, topic, jdk, familyFacts(f), familyNote(KernelView.family(f.fd())));
        return f;
    }

    private void fact(String id, String topic, String jdk, String kernel, String note) {
        facts.add(new SocketFact(id, topic, mask(jdk), mask(kernel), note));
    }

    private static final Pattern PORT = Pattern.compile(":(\\d{1,5})(?![.\\d:])");

    /** Replaces the ports this probe opened by their role ({@code :<server>}); other numbers stay. */
    private String mask(String s) {
        Matcher m = PORT.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String role = ports.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(sb, Matcher.quoteReplacement(role == null ? m.group() : ":<" + role + ">"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String kind(InetAddress a) {
        return a == null ? "null" : a.getClass().getSimpleName();
    }

    private String peerNote(InetAddress jdkSeen, String kernelSeen) {
        if (kernelSeen.contains("::ffff:") && jdkSeen instanceof Inet4Address) return MAPPED_NOTE;
        if (kernelSeen.startsWith("AF_INET ")) return V4STACK_NOTE;
        return "The JDK shows what the kernel reported.";
    }

    private String familyFacts(Found f) {
        return "SO_DOMAIN=" + KernelView.family(f.fd()) + "; getsockname " + KernelView.local(f.fd()) + "; listed in /proc/net/"
                + f.table();
    }

    private String familyNote(String kernelFamily) {
        if ("AF_INET6".equals(kernelFamily)) {
            return "The JDK opens AF_INET6 sockets whenever IPv6 is available and preferIPv4Stack is not true, and "
                    + "reaches IPv4 peers through IPv4-mapped addresses; it has no API that tells the family.";
        }
        return v4stack ? "preferIPv4Stack=true makes every JDK socket AF_INET; IPv6 destinations become unusable."
                : "The JDK opened an AF_INET socket here (a ProtocolFamily argument or no IPv6 support).";
    }

    // ---- the C program's side: a dual-stack AF_INET6 [::] server and a socket(AF_INET) client -----

    private String nativeTcpPeer;
    private String nativeUdpSource;

    /** A plain IPv4 client, as a C program makes it: socket(AF_INET), connect to 127.0.0.1:port. */
    private NativeSocket ipv4Client(boolean tcp, int port) throws IOException {
        NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, tcp ? NativeSocket.SOCK_STREAM : NativeSocket.SOCK_DGRAM);
        try {
            c.connect(Inet4SockAddr.loopback(port));
            ports.put(c.localAddress().port(), "client");
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** What accept(2) returns on a C server's AF_INET6 [::] listener for an IPv4 client. */
    private String nativeTcpPeer() throws IOException {
        if (nativeTcpPeer != null) return nativeTcpPeer;
        try (NativeSocket l = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM)) {
            l.bind(Inet6SockAddr.any(0));
            l.listen(4);
            int sp = l.localAddress().port();
            ports.put(sp, "server");
            try (NativeSocket c = ipv4Client(true, sp)) {
                NativeSocket.Accepted a = l.accept();
                try (NativeSocket s = a.socket()) {
                    nativeTcpPeer = "accept() on a C server's AF_INET6 [::] listener returns " + KernelView.describe(a.peer());
                }
            }
        }
        return mask(nativeTcpPeer);
    }

    /** What recvfrom(2) returns on a C program's AF_INET6 [::] datagram socket for an IPv4 sender. */
    private String nativeUdpSource() throws IOException {
        if (nativeUdpSource != null) return nativeUdpSource;
        try (NativeSocket r = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM)) {
            r.bind(Inet6SockAddr.any(0));
            int rp = r.localAddress().port();
            ports.put(rp, "server");
            try (NativeSocket c = ipv4Client(false, rp)) {
                c.send(new byte[] {1});
                r.poll(NativeSocket.POLLIN, 5000);
                NativeSocket.ReceivedFrom got = r.recvFrom(new byte[64]);
                nativeUdpSource = "recvfrom() on a C program's AF_INET6 [::] socket returns " + KernelView.describe(got.source());
            }
        }
        return mask(nativeUdpSource);
    }

    // ---- TCP: ServerSocket and ServerSocketChannel, IPv4 client --------------------------------

    private void tcpServerSocket() throws IOException {
        try (ServerSocket ss = new ServerSocket(0)) {
            int sp = ss.getLocalPort();
            ports.put(sp, "server");
            Found lf = KernelView.find(true, sp, 0);
            String fam = KernelView.family(lf.fd());
            fact("family.ServerSocket", "Family of new ServerSocket(0) (wildcard address)",
                    "getLocalSocketAddress() = " + ss.getLocalSocketAddress(), familyFacts(lf), familyNote(fam)
                            + (fam.equals("AF_INET6") && String.valueOf(ss.getLocalSocketAddress()).startsWith("0.0.0.0/")
                                    ? " ServerSocket reports the :: wildcard of this AF_INET6 socket as 0.0.0.0 (its "
                                            + "anyLocalAddress follows preferIPv6Addresses, not the socket)." : ""));
            String c = nativeTcpPeer();
            try (NativeSocket client = ipv4Client(true, sp); Socket a = ss.accept()) {
                Found af = KernelView.find(true, sp, a.getPort());
                String kp = KernelView.peer(af.fd());
                fact("tcp.accept.peer.ServerSocket",
                        "Peer an IPv4 client (socket(AF_INET), connect to 127.0.0.1) has, seen by ServerSocket.accept()",
                        "getRemoteSocketAddress() = " + a.getRemoteSocketAddress() + " (" + kind(a.getInetAddress()) + ")",
                        "getpeername on the JDK's accepted descriptor: " + kp + "; " + c, peerNote(a.getInetAddress(), kp));
                String kl = KernelView.local(af.fd());
                fact("tcp.accept.local.ServerSocket", "Local address of that accepted connection",
                        "getLocalSocketAddress() = " + a.getLocalSocketAddress() + " (" + kind(a.getLocalAddress()) + ")",
                        "getsockname: " + kl, peerNote(a.getLocalAddress(), kl));
            }
        }
    }

    private void tcpServerSocketChannel() throws IOException {
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
            int sp = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            Found lf = serverFamily(true, sp, "family.ServerSocketChannel", "Family of ServerSocketChannel.open().bind(port 0)",
                    "getLocalAddress() = " + ss.getLocalAddress());
            String c = nativeTcpPeer();
            try (NativeSocket client = ipv4Client(true, sp); SocketChannel a = ss.accept()) {
                InetSocketAddress r = (InetSocketAddress) a.getRemoteAddress();
                Found af = KernelView.find(true, sp, r.getPort());
                String kp = KernelView.peer(af.fd());
                fact("tcp.accept.peer.ServerSocketChannel",
                        "Peer an IPv4 client (socket(AF_INET), connect to 127.0.0.1) has, seen by ServerSocketChannel.accept()",
                        "getRemoteAddress() = " + r + " (" + kind(r.getAddress()) + ")",
                        "getpeername on the JDK's accepted descriptor: " + kp + "; " + c, peerNote(r.getAddress(), kp));
                options.add("SocketChannel (accepted)", a, af.fd());
            }
            options.add("ServerSocketChannel (listening)", ss, lf.fd());
        }
    }

    // ---- UDP: DatagramChannel and DatagramSocket, IPv4 sender ------------------------------------

    private void udpDatagramChannel() throws IOException {
        try (DatagramChannel dc = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            int sp = ((InetSocketAddress) dc.getLocalAddress()).getPort();
            Found f = serverFamily(false, sp, "family.DatagramChannel", "Family of DatagramChannel.open().bind(port 0)",
                    "getLocalAddress() = " + dc.getLocalAddress());
            String c = nativeUdpSource();
            try (NativeSocket client = ipv4Client(false, sp)) {
                client.send(new byte[] {1});
                String kp = KernelView.peekSource(f.fd(), 5000);
                InetSocketAddress src = (InetSocketAddress) dc.receive(ByteBuffer.allocate(64));
                fact("udp.receive.source.DatagramChannel",
                        "Source of a datagram from an IPv4 sender (socket(AF_INET), 127.0.0.1), seen by DatagramChannel.receive()",
                        "receive() = " + src + " (" + kind(src.getAddress()) + ")",
                        "recvfrom(MSG_PEEK) on the JDK's descriptor: " + kp + "; " + c, peerNote(src.getAddress(), kp));
            }
            options.add("DatagramChannel (bound)", dc, f.fd());
        }
    }

    private void udpDatagramSocket() throws IOException {
        try (DatagramSocket ds = new DatagramSocket(0)) {
            int sp = ds.getLocalPort();
            Found f = serverFamily(false, sp, "family.DatagramSocket", "Family of new DatagramSocket(0)",
                    "getLocalSocketAddress() = " + ds.getLocalSocketAddress());
            String c = nativeUdpSource();
            try (NativeSocket client = ipv4Client(false, sp)) {
                client.send(new byte[] {1});
                String kp = KernelView.peekSource(f.fd(), 5000);
                DatagramPacket pk = new DatagramPacket(new byte[64], 64);
                ds.setSoTimeout(5000);
                ds.receive(pk);
                fact("udp.receive.source.DatagramSocket",
                        "Source of a datagram from an IPv4 sender (socket(AF_INET), 127.0.0.1), seen by DatagramSocket.receive()",
                        "packet.getSocketAddress() = " + pk.getSocketAddress() + " (" + kind(pk.getAddress()) + ")",
                        "recvfrom(MSG_PEEK) on the JDK's descriptor: " + kp + "; " + c, peerNote(pk.getAddress(), kp));
            }
        }
    }

    // ---- which family the JDK's client sockets are -------------------------------------------------

    private void clientFamilies() throws IOException {
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
            int sp = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            ports.put(sp, "server");
            try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), sp); SocketChannel acc = ss.accept()) {
                ports.put(s.getLocalPort(), "client");
                Found f = KernelView.find(true, s.getLocalPort(), sp);
                String fam = KernelView.family(f.fd());
                fact("family.Socket", "Family of new Socket(127.0.0.1, port)",
                        "getLocalSocketAddress() = " + s.getLocalSocketAddress() + " (" + kind(s.getLocalAddress()) + ")",
                        familyFacts(f), familyNote(fam));
                options.add("Socket (connected)", s, f.fd());
            }
            try (SocketChannel sc = SocketChannel.open(new InetSocketAddress("127.0.0.1", sp)); SocketChannel acc = ss.accept()) {
                int lp = ((InetSocketAddress) sc.getLocalAddress()).getPort();
                ports.put(lp, "client");
                Found f = KernelView.find(true, lp, sp);
                fact("family.SocketChannel", "Family of SocketChannel.open(127.0.0.1:port)",
                        "getLocalAddress() = " + sc.getLocalAddress(), familyFacts(f), familyNote(KernelView.family(f.fd())));
                options.add("SocketChannel (connected)", sc, f.fd());
            }
        }
        Set<Integer> before = KernelView.socketFds();
        try (DatagramChannel dc = DatagramChannel.open(StandardProtocolFamily.INET)) {
            int fd = KernelView.newSocketFd(before);
            fact("family.DatagramChannel.INET", "Family of DatagramChannel.open(StandardProtocolFamily.INET)",
                    "the caller asked for INET", "SO_DOMAIN=" + KernelView.family(fd),
                    "An explicit ProtocolFamily wins over the properties: INET is AF_INET in every setting.");
        }
        before = KernelView.socketFds();
        try (DatagramChannel dc = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            int fd = KernelView.newSocketFd(before);
            fact("family.DatagramChannel.INET6", "Family of DatagramChannel.open(StandardProtocolFamily.INET6)",
                    "opened", "SO_DOMAIN=" + KernelView.family(fd), "An explicit INET6 gives AF_INET6.");
        } catch (UnsupportedOperationException e) {
            fact("family.DatagramChannel.INET6", "Family of DatagramChannel.open(StandardProtocolFamily.INET6)",
                    e.getClass().getSimpleName() + ": " + e.getMessage(), "no socket was created",
                    "With preferIPv4Stack=true the JDK refuses IPv6 sockets altogether, although the kernel would make one.");
        }
    }

    // ---- IPv4-mapped addresses handed to the JDK ---------------------------------------------------

    private static byte[] mapped127() {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        b[12] = 127;
        b[15] = 1;
        return b;
    }

    private void mappedAddresses() throws IOException {
        InetAddress parsed = InetAddress.getByName("::ffff:127.0.0.1");
        InetAddress byAddr = InetAddress.getByAddress(mapped127());
        Inet6Address kept = Inet6Address.getByAddress(null, mapped127(), -1);
        String libc;
        try {
            List<AddrInfo> r = Resolver.getaddrinfo("::ffff:127.0.0.1", null,
                    Hints.builder().unspec().stream().flags(AiFlag.NUMERICHOST).build());
            libc = "getaddrinfo(AF_UNSPEC, AI_NUMERICHOST) = " + Names.family(r.get(0).family()) + " " + r.get(0).address().address();
        } catch (ResolverException e) {
            libc = "getaddrinfo failed: " + e.codeName();
        }
        fact("mapped.objects", "What the JDK makes of the 16 bytes ::ffff:127.0.0.1",
                "getByName(\"::ffff:127.0.0.1\") = " + kind(parsed) + " " + parsed + "; getByAddress(16 bytes) = " + kind(byAddr) + " "
                        + byAddr + "; Inet6Address.getByAddress(null, 16 bytes, -1) = " + kind(kept) + " " + kept,
                libc,
                "libc keeps a mapped address an AF_INET6 address; the JDK converts it to Inet4Address when parsing text "
                        + "or bytes (InetAddress.getByAddress), and only Inet6Address.getByAddress(host, bytes, scope) keeps the mapped form.");

        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
            int sp = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            ports.put(sp, "server");
            String jdk;
            String kernel;
            Set<Integer> before = KernelView.socketFds();
            try (SocketChannel sc = SocketChannel.open()) {
                int fd = KernelView.newSocketFd(before);
                try {
                    sc.connect(new InetSocketAddress(kept, sp));
                    try (SocketChannel acc = ss.accept()) {
                        InetSocketAddress accPeer = (InetSocketAddress) acc.getRemoteAddress();
                        ports.put(accPeer.getPort(), "client");
                        Found af = KernelView.find(true, sp, accPeer.getPort());
                        jdk = "connect(Inet6Address ::ffff:127.0.0.1) succeeded; getRemoteAddress() = " + sc.getRemoteAddress();
                        kernel = "client SO_DOMAIN=" + KernelView.family(fd) + ", getpeername " + KernelView.peer(fd)
                                + "; server side getpeername " + KernelView.peer(af.fd());
                    }
                } catch (IOException | RuntimeException e) {
                    jdk = "connect(Inet6Address ::ffff:127.0.0.1) threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    kernel = "client SO_DOMAIN=" + KernelView.family(fd);
                }
            }
            String note;
            if (!kernel.startsWith("client SO_DOMAIN=AF_INET6")) {
                note = "On an AF_INET socket a 16-byte address cannot be passed to the kernel at all; the JDK "
                        + (jdk.contains("threw") ? "refuses it instead of converting it to IPv4." : "converted it to IPv4 first.");
            } else {
                note = "On an AF_INET6 socket the mapped address goes to the kernel unchanged and the connection is IPv4 "
                        + "(UNP §12.3)." + (jdk.contains("0:0:0:0:0:ffff:") ? " getRemoteAddress() hands back the "
                        + "Inet6Address that was passed, while the server's accept() turns the same kind of peer into an "
                        + "Inet4Address: one JDK, two answers." : "");
            }
            fact("mapped.connect", "SocketChannel.connect to an Inet6Address holding ::ffff:127.0.0.1", jdk, kernel, note);
        }

        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            int rp = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            ports.put(rp, "server");
            Found rf = KernelView.find(false, rp, 0);
            String jdk;
            String kernel;
            Set<Integer> before = KernelView.socketFds();
            try (DatagramChannel tx = DatagramChannel.open()) {
                int fd = KernelView.newSocketFd(before);
                try {
                    int n = tx.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(kept, rp));
                    InetSocketAddress txl = (InetSocketAddress) tx.getLocalAddress();
                    ports.put(txl.getPort(), "client");
                    jdk = "send(.., Inet6Address ::ffff:127.0.0.1) sent " + n + " byte(s)";
                    kernel = "sender SO_DOMAIN=" + KernelView.family(fd) + "; receiver recvfrom(MSG_PEEK) source "
                            + KernelView.peekSource(rf.fd(), 5000);
                } catch (IOException | RuntimeException e) {
                    jdk = "send(.., Inet6Address ::ffff:127.0.0.1) threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    kernel = "sender SO_DOMAIN=" + KernelView.family(fd);
                }
            }
            fact("mapped.send", "DatagramChannel.send to an Inet6Address holding ::ffff:127.0.0.1", jdk, kernel,
                    kernel.startsWith("sender SO_DOMAIN=AF_INET6")
                            ? "The AF_INET6 socket sends IPv4 to a mapped destination; the receiver's kernel sees an IPv4 source."
                            : "An AF_INET socket can only send to a 4-byte address.");
        }
    }

    // ---- IPV6_V6ONLY -------------------------------------------------------------------------------

    private void v6only() throws IOException {
        String sysctl;
        try {
            sysctl = Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only")).trim();
        } catch (IOException e) {
            sysctl = "unreadable";
        }
        Set<Integer> before = KernelView.socketFds();
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            int fd = KernelView.newSocketFd(before);
            Set<String> names = new TreeSet<>();
            for (SocketOption<?> o : ss.supportedOptions()) names.add(o.name());
            boolean jdkHasIt = names.stream().anyMatch(n -> n.toUpperCase().contains("V6ONLY"));
            Object initial = KernelView.intOpt(fd, IpprotoIpv6.IPV6_V6ONLY);
            String setBefore = KernelView.setInt(fd, IpprotoIpv6.IPV6_V6ONLY, 1);
            ss.bind(new InetSocketAddress(0));
            int sp = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            ports.put(sp, "server");
            String v4;
            try (NativeSocket c = ipv4Client(true, sp)) {
                v4 = "connected";
            } catch (io.dualsock.NativeSocketException e) {
                v4 = "connect failed with " + e.errnoName();
            }
            String setAfter = KernelView.setInt(fd, IpprotoIpv6.IPV6_V6ONLY, 0);
            fact("v6only", "Can IPV6_V6ONLY be changed on a JDK socket?",
                    (jdkHasIt ? "an option named like V6ONLY is supported: " : "no IPV6_V6ONLY option; supportedOptions() = ")
                            + names,
                    "getsockopt(IPV6_V6ONLY) on the JDK's unbound ServerSocketChannel = " + initial
                            + " (net.ipv6.bindv6only=" + sysctl + "); setsockopt(IPV6_V6ONLY, 1) before bind: " + setBefore
                            + "; an IPv4 client then: " + v4 + "; setsockopt after bind: " + setAfter,
                    initial instanceof Integer
                            ? "The JDK gives Java code no way to set IPV6_V6ONLY (its dual-stack sockets rely on it being 0); "
                                    + "the kernel accepts a change only before bind. Set from outside on the JDK's descriptor, "
                                    + "it makes the Java server refuse IPv4 clients."
                            : "The JDK's socket is AF_INET here, where IPV6_V6ONLY does not exist; the JDK has no such option "
                                    + "either way.");
        }
    }
}
