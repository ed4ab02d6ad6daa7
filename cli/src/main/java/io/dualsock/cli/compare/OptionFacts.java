package io.dualsock.cli.compare;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.Set;

import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.IpprotoTcp;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.lab.KernelView;

/**
 * The option part of {@link SocketProbe}: for each socket option a JDK socket supports, what
 * {@code getOption} says next to what {@code getsockopt(2)} says on the same descriptor, before
 * and after {@code setOption}, with a note on why they differ.
 */
final class OptionFacts {
    /** Where the facts go: {@link SocketProbe}'s list, which masks the ports. */
    @FunctionalInterface
    interface Sink {
        void fact(String id, String topic, String jdk, String kernel, String note);
    }

    private final Sink sink;

    OptionFacts(Sink sink) {
        this.sink = sink;
    }

    /** A JDK option and the same option as getsockopt(2) names it (level and name from the headers). */
    private record Opt(SocketOption<?> option, io.dualsock.SocketOption<?> kernel) {}

    private static List<Opt> knownOptions() {
        return List.of(new Opt(StandardSocketOptions.SO_RCVBUF, SolSocket.SO_RCVBUF),
                new Opt(StandardSocketOptions.SO_SNDBUF, SolSocket.SO_SNDBUF),
                new Opt(StandardSocketOptions.SO_REUSEADDR, SolSocket.SO_REUSEADDR),
                new Opt(StandardSocketOptions.SO_REUSEPORT, SolSocket.SO_REUSEPORT),
                new Opt(StandardSocketOptions.SO_KEEPALIVE, SolSocket.SO_KEEPALIVE),
                new Opt(StandardSocketOptions.SO_BROADCAST, SolSocket.SO_BROADCAST),
                new Opt(StandardSocketOptions.TCP_NODELAY, IpprotoTcp.TCP_NODELAY),
                new Opt(StandardSocketOptions.SO_LINGER, SolSocket.SO_LINGER),
                new Opt(StandardSocketOptions.IP_TOS, IpprotoIp.IP_TOS));
    }

    private interface Getter {
        Object get(SocketOption<?> o) throws IOException;
    }

    private interface Setter {
        void set(SocketOption<Integer> o, Integer v) throws IOException;
    }

    /** A Socket's or a channel's options: the two have the same three methods and no common type. */
    private record OptionAccess(Set<SocketOption<?>> supported, Getter getter, Setter setter) {}

    /** The option facts of a channel: the values it starts with, then three values set and read back. */
    void add(String what, NetworkChannel ch, int fd) {
        add(what, new OptionAccess(ch.supportedOptions(), ch::getOption, ch::setOption), fd);
    }

    /** The same for a {@link Socket}. */
    void add(String what, Socket s, int fd) {
        add(what, new OptionAccess(s.supportedOptions(), s::getOption, s::setOption), fd);
    }

    private String kernelValue(Opt o, int fd) {
        if (o.option() == StandardSocketOptions.SO_LINGER) return "SO_LINGER " + KernelView.linger(fd);
        String base = o.option().name() + "=" + KernelView.intOpt(fd, o.kernel());
        if (o.option() == StandardSocketOptions.IP_TOS && "AF_INET6".equals(KernelView.family(fd))) {
            base += ", IPV6_TCLASS=" + KernelView.intOpt(fd, IpprotoIpv6.IPV6_TCLASS);
        }
        return base;
    }

    private void add(String what, OptionAccess a, int fd) {
        String idBase = "opt." + what.replaceAll("[^A-Za-z]+", "-").replaceAll("-$", "");
        for (Opt o : knownOptions()) {
            if (!a.supported().contains(o.option())) continue;
            Object jv;
            try {
                jv = a.getter().get(o.option());
            } catch (IOException | RuntimeException e) {
                jv = e.getClass().getSimpleName();
            }
            String kv = kernelValue(o, fd);
            sink.fact(idBase + "." + o.option().name(), o.option().name() + " of " + what, "getOption = " + jv, "getsockopt " + kv,
                    optionNote(o, jv, kv, null));
        }
        setAndCompare(what, idBase, a, fd, StandardSocketOptions.SO_RCVBUF, 65536);
        setAndCompare(what, idBase, a, fd, StandardSocketOptions.SO_SNDBUF, 65536);
        setAndCompare(what, idBase, a, fd, StandardSocketOptions.IP_TOS, 0x20);
    }

    private void setAndCompare(String what, String idBase, OptionAccess a, int fd, SocketOption<Integer> opt, int value) {
        if (!a.supported().contains(opt)) return;
        Opt o = knownOptions().stream().filter(k -> k.option() == opt).findFirst().orElseThrow();
        Object jv;
        try {
            a.setter().set(opt, value);
            jv = a.getter().get(opt);
        } catch (IOException | RuntimeException e) {
            jv = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String kv = kernelValue(o, fd);
        sink.fact(idBase + "." + opt.name() + ".set", opt.name() + " of " + what + " after setOption(" + opt.name() + ", " + value + ")",
                "getOption = " + jv, "getsockopt " + kv, optionNote(o, jv, kv, value));
    }

    private static String optionNote(Opt o, Object jdk, String kernel, Integer set) {
        String kvNum = kernel.replaceFirst("^[A-Za-z_0-9 ]*=", "").replaceFirst(",.*$", "");
        if (o.option() == StandardSocketOptions.SO_LINGER) {
            return "The JDK reports a disabled linger as -1; the kernel's struct linger has l_onoff=0.";
        }
        if (jdk instanceof Boolean b) {
            boolean same = kvNum.equals(b ? "1" : "0") || (b && !kvNum.equals("0") && kvNum.matches("\\d+"));
            return same ? "Same setting; the JDK shows the kernel's int as a boolean."
                    : "The JDK's boolean and the kernel's int disagree.";
        }
        if (o.option() == StandardSocketOptions.IP_TOS && kernel.contains("IPV6_TCLASS")) {
            String tclass = kernel.replaceFirst("^.*IPV6_TCLASS=", "");
            if (set == null && kvNum.equals("0") && tclass.equals("0")) {
                return "Both are 0 until the traffic class is set; on an AF_INET6 socket getOption(IP_TOS) reads IPV6_TCLASS.";
            }
            if (!kvNum.equals(tclass)) {
                return "On this AF_INET6 socket the JDK keeps IP_TOS in IPV6_TCLASS only: IPv6 packets carry it, IPv4 "
                        + "packets to mapped addresses (IP_TOS=" + kvNum + ") do not.";
            }
            return "On this AF_INET6 socket the JDK sets IPV6_TCLASS and IP_TOS alike, so IPv4 traffic through mapped "
                    + "addresses carries it too.";
        }
        if (jdk instanceof Integer j && kvNum.matches("\\d+")) {
            long k = Long.parseLong(kvNum);
            if (k == 2L * j) {
                return "Linux doubles the size given to setsockopt (socket(7)) and getsockopt returns the doubled size; "
                        + "the JDK halves what getsockopt returns (NET_GetSockOpt), so getOption is half the kernel's "
                        + "real buffer" + (set != null && j.intValue() == set ? " and equals what setOption was given." : ".");
            }
            if (k == j) return "The JDK reports what getsockopt returns.";
        }
        return "The JDK's value differs from getsockopt's.";
    }
}
