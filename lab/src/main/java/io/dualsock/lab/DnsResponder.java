package io.dualsock.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's DNS server when a topology delays answers ({@code dns_delays}): dnsmasq answers at
 * once and cannot be told otherwise, so this small authoritative UDP responder, run as a process
 * in namespace {@code ds-<lab id>-dns}, answers the topology's A and AAAA records, each query after its
 * name's delay for that record type. Other types of a known name get an empty answer, unknown
 * names {@code NXDOMAIN}; nothing is forwarded. It logs like dnsmasq ({@code started, version},
 * one {@code query[TYPE] name from addr} line per query), so {@link DnsServer} runs either.
 *
 * <p>Usage: {@code DnsResponder TOPOLOGY-JSON}.
 */
public final class DnsResponder {
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int RCODE_NXDOMAIN = 3;
    private static final int RCODE_NOTIMP = 4;

    private final Topology topology;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    DnsResponder(Topology t) {
        this.topology = t;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DnsResponder TOPOLOGY-JSON");
            System.exit(2);
        }
        DnsResponder r = new DnsResponder(TopologyJson.parse(args[0], "argument"));
        List<DatagramSocket> sockets = List.of(
                new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Topology.DNS4), 53)),
                new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Topology.DNS6), 53)));
        for (DatagramSocket s : sockets) {
            Thread t = new Thread(() -> r.serve(s), "dns " + s.getLocalSocketAddress());
            t.start();
        }
        System.out.println("dualsock-dns: started, version dualsock-dns-responder, delays " + r.topology.dnsDelays());
        System.out.flush();
    }

    private void serve(DatagramSocket s) {
        byte[] buf = new byte[1500];
        for (;;) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
            java.net.SocketAddress from = p.getSocketAddress();
            try {
                Answer a = answer(query);
                if (a == null) continue; // not a query: no answer
                synchronized (System.out) {
                    System.out.println("dualsock-dns: query[" + typeName(a.type) + "] " + a.name + " from " + from
                            + (a.delayMs > 0 ? " (answer in " + a.delayMs + " ms)" : ""));
                    System.out.flush();
                }
                Runnable send = () -> {
                    try {
                        s.send(new DatagramPacket(a.reply, a.reply.length, from));
                    } catch (IOException e) {
                        // the client is gone
                    }
                };
                if (a.delayMs == 0) send.run();
                else later.schedule(send, a.delayMs, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                System.out.println("dualsock-dns: bad query from " + from + ": " + e);
            }
        }
    }

    record Answer(String name, int type, int delayMs, byte[] reply) {}

    /** The reply to one query (RFC 1035 §4.1), or null for a message that is not a query. */
    Answer answer(byte[] q) {
        ByteBuffer in = ByteBuffer.wrap(q);
        int id = in.getShort() & 0xffff;
        int flags = in.getShort() & 0xffff;
        int qd = in.getShort() & 0xffff;
        in.position(12);
        if ((flags & 0x8000) != 0) return null;
        StringBuilder name = new StringBuilder();
        for (int len = in.get() & 0xff; len != 0; len = in.get() & 0xff) {
            if (len > 63) throw new IllegalArgumentException("compressed or bad label in a question");
            byte[] label = new byte[len];
            in.get(label);
            if (name.length() > 0) name.append('.');
            name.append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        int type = in.getShort() & 0xffff;
        in.getShort(); // class
        int questionEnd = in.position();
        String n = name.toString().toLowerCase(Locale.ROOT);
        int opcode = (flags >> 11) & 0xf;
        Topology.NameRecord rec = topology.nameTable().get(n);
        int rcode = opcode != 0 || qd != 1 ? RCODE_NOTIMP : rec == null ? RCODE_NXDOMAIN : 0;
        List<String> addrs = rcode != 0 ? List.of() : type == TYPE_A ? rec.a() : type == TYPE_AAAA ? rec.aaaa() : List.of();
        ByteBuffer out = ByteBuffer.allocate(questionEnd + addrs.size() * 28);
        // QR, AA, RD copied, RA (so that stub resolvers do not complain), RCODE
        out.putShort((short) id).putShort((short) (0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode));
        out.putShort((short) 1).putShort((short) addrs.size()).putShort((short) 0).putShort((short) 0);
        out.put(q, 12, questionEnd - 12);
        for (String a : addrs) {
            byte[] bytes = numeric(a);
            out.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(0)
                    .putShort((short) bytes.length).put(bytes);
        }
        int delay = type == TYPE_A || type == TYPE_AAAA ? topology.dnsDelayMs(n, type == TYPE_AAAA) : 0;
        return new Answer(n, type, delay, java.util.Arrays.copyOf(out.array(), out.position()));
    }

    private static byte[] numeric(String a) {
        io.dualsock.SockAddr s = io.dualsock.SockAddr.parse(a, 0);
        return s.addressBytes();
    }

    private static String typeName(int type) {
        return type == TYPE_A ? "A" : type == TYPE_AAAA ? "AAAA" : "TYPE" + type;
    }
}
