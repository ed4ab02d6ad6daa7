package io.dualsock.cli;

import io.dualsock.cli.output.AddrInfoView;
import io.dualsock.cli.output.Json;
import io.dualsock.cli.output.Table;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Names;
import io.dualsock.Nat64;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.cli.demo.DemoJson;
import io.dualsock.cli.demo.DemoReport.Failure;
import io.dualsock.cli.demo.DemoReport.Reply;
import io.dualsock.cli.demo.SockAddrView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dualsock connect}: getaddrinfo, then every address in libc's order, each attempt reported. */
@Command(name = "connect",
        mixinStandardHelpOptions = true,
        resourceBundle = "io.dualsock.cli.help.connect",
        sortOptions = false,
        description = {
            "Resolve HOST with getaddrinfo(3) using the given hints, then try the addresses in libc's order as UNP's "
                + "tcp_connect does: socket(2) with each result's family, type and protocol, connect(2) (TCP, or "
                + "--udp-mode connected) or sendto(2), send one line and print what comes back.",
            "Every attempt is printed with its outcome (the errno name of the call that failed), the local address "
                + "(getsockname) and the peer (getpeername, or recvfrom's source), exactly as the kernel reported "
                + "them: an AF_INET6 socket that reached IPv4 through ::ffff:a.b.c.d shows both ends mapped.",
            "Default hints: --family unspec with no flags; with --family inet6 the default --flags is v4mapped "
                + "(AI_V4MAPPED, so an IPv4-only HOST yields ::ffff:a.b.c.d as in UNP §12.3); an explicit --flags "
                + "replaces it. A HOST that is not numeric is looked up as the system is configured (DNS included).",
            "",
            "Exit status: 0 when an attempt succeeded, 1 when every attempt failed (their errno names on stderr) or "
                + "getaddrinfo failed (its EAI_* name), 2 bad usage."})
final class ConnectCommand extends CliCommand {

    static final String DEFAULT_MESSAGE = "hello from dualsock";

    @Parameters(index = "0", paramLabel = "HOST", description = "Name or numeric address.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "Port, 1..65535 (passed to getaddrinfo as the service).")
    int port;

    @Mixin
    HintOptions.Family family;

    @Mixin
    HintOptions.Flags flags;

    @Mixin
    HintOptions.Proto proto;

    @Option(names = "--all-addresses", description = "Try every address, also after one succeeded.")
    boolean allAddresses;

    @Option(names = "--timeout", paramLabel = "MS",
            description = "Limit for connect and for the reply, in ms (default 3000; 0: wait as long as the kernel does).")
    long timeoutMs = 3000;

    @Option(names = "--message", paramLabel = "TEXT",
            description = "The line to send; a newline is added (default \"" + DEFAULT_MESSAGE + "\").")
    String message = DEFAULT_MESSAGE;

    @Option(names = "--udp-mode", paramLabel = "connected|unconnected",
            description = "UDP only: connect(2)+send(2)/recv(2), or sendto(2)/recvfrom(2) (default unconnected).")
    String udpMode;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--happy", description = "Connect with RFC 8305 Happy Eyeballs v2 (io.dualsock.Connector): AAAA and "
            + "A asked apart (AI_ADDRCONFIG), families interleaved, attempts raced; print the timeline. Connects and "
            + "closes; --timeout is the overall limit.")
    boolean happy;

    @Option(names = "--sequential", description = "Like --happy, with the Connector's sequential mode (UNP's "
            + "tcp_connect: AF_UNSPEC, one address after the other).")
    boolean sequential;

    @Option(names = "--attempt-delay", paramLabel = "MS",
            description = "--happy: Connection Attempt Delay, 10..2000 ms (default 250).")
    long attemptDelayMs = 250;

    @Option(names = "--resolution-delay", paramLabel = "MS",
            description = "--happy: how long an A answer waits for the AAAA one, 0..2000 ms (default 50).")
    long resolutionDelayMs = 50;

    @Option(names = "--nat64-prefix", paramLabel = "PREFIX|none",
            description = "With --happy: on an IPv6-only host, reach IPv4 literals (and names with only A records) through "
                    + "this NAT64 prefix (RFC 8305 §7) instead of RFC 7050 discovery; 'none' turns synthesis off. Every "
                    + "mode: addresses inside PREFIX are labelled [NAT64 of a.b.c.d].")
    String nat64Prefix;

    @Option(names = "--first-family-count", paramLabel = "N",
            description = "--happy: IPv6 addresses tried before the first IPv4 one (default 1).")
    int firstFamilyCount = 1;

    /**
     * One attempt.
     *
     * @param index 1-based position in getaddrinfo's list
     * @param ai the getaddrinfo result tried
     * @param mode connect (TCP), sendto (unconnected UDP) or connect+send (connected UDP)
     * @param failure the call that failed, or null
     * @param local getsockname after connect/sendto
     * @param peer getpeername (null when not connected)
     * @param sent bytes sent, -1 for none
     * @param reply what came back, or null
     */
    record Attempt(int index, AddrInfo ai, String mode, Failure failure, SockAddr local, SockAddr peer, int sent,
            Reply reply) {
        boolean ok() {
            return failure == null;
        }
    }

    @Override
    public Integer call() throws ResolverException, NativeSocketException {
        if (port < 1 || port > 0xffff) throw usage("PORT must be 1..65535, got " + port);
        if (timeoutMs < 0 || timeoutMs > Integer.MAX_VALUE) {
            throw usage("--timeout must be 0 .. " + Integer.MAX_VALUE + " ms, got " + timeoutMs);
        }
        Nat64 nat64 = nat64();
        if (happy || sequential) {
            if (happy && sequential) throw usage("--happy and --sequential exclude each other");
            if (family.given() || flags.given() || proto.socktype() != NativeSocket.SOCK_STREAM || udpMode != null
                    || allAddresses) {
                throw usage("--happy/--sequential choose their own hints (TCP): drop --family, --flags, --proto, "
                        + "--udp-mode and --all-addresses");
            }
            return new TimelineConnect(this).call();
        }
        int type = proto.socktype();
        String mode = mode(type);
        Hints hints = hints(type);
        String flagsAsGiven = flags.given() ? flags.text() : (hints.flags() == 0 ? "0" : "v4mapped");
        ResolveQuery q = new ResolveQuery(host, Integer.toString(port), hints);
        List<AddrInfo> results;
        try {
            results = q.resolve();
        } catch (ResolverException e) {
            if (json) {
                ObjectNode o = ResolveQuery.answer(q.toJson(flagsAsGiven), q, e);
                settings(o, mode);
                o.putArray("attempts");
                o.put("succeeded", 0);
                Json.writePretty(out(), o);
            } else {
                out().println(q.describe());
            }
            throw e;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (!json) {
            out().println(q.describe());
            Table t = AddrInfoView.table();
            for (int i = 0; i < results.size(); i++) t.add(AddrInfoView.row(i + 1, results.get(i), nat64));
            t.print(out());
        }
        List<Attempt> attempts = tryAll(results, mode, a -> {
            if (!json) print(a, nat64);
        });
        int succeeded = (int) attempts.stream().filter(Attempt::ok).count();
        if (json) {
            ObjectNode o = ResolveQuery.answer(q.toJson(flagsAsGiven), q, results, nat64);
            settings(o, mode);
            ArrayNode arr = o.putArray("attempts");
            for (Attempt a : attempts) arr.add(json(a));
            o.put("succeeded", succeeded);
            Json.writePretty(out(), o);
        } else {
            out().println(succeeded + " of " + attempts.size() + " attempts succeeded (getaddrinfo gave " + results.size()
                    + (results.size() == 1 ? " address" : " addresses") + ")");
            out().flush();
        }
        if (succeeded > 0) return ExitCodes.OK;
        StringBuilder why = new StringBuilder();
        String name = "NO_ADDRESS";
        for (Attempt a : attempts) {
            Failure f = a.failure();
            name = f.errno() != null ? f.errno() : "NO_REPLY";
            why.append(why.length() == 0 ? "" : "; ").append(a.ai().address()).append(' ').append(f.call()).append(' ')
                    .append(name);
        }
        reportError(name, "no attempt succeeded: " + why);
        return ExitCodes.FAILURE;
    }

    /**
     * The tcp_connect loop: each result in libc's order until one succeeds, or all of them with
     * --all-addresses; each attempt is handed to {@code each} as soon as it is over.
     */
    List<Attempt> tryAll(List<AddrInfo> results, String mode, Consumer<Attempt> each) {
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Attempt a = attempt(i + 1, results.get(i), mode);
            attempts.add(a);
            each.accept(a);
            if (a.ok() && !allAddresses) break;
        }
        return attempts;
    }

    private String mode(int type) {
        if (type == NativeSocket.SOCK_STREAM) {
            if (udpMode != null) throw usage("--udp-mode applies to --proto udp only");
            return "connect";
        }
        String m = udpMode == null ? "unconnected" : udpMode.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "unconnected" -> "sendto";
            case "connected" -> "connect+send";
            default -> throw usage("--udp-mode must be connected or unconnected, got \"" + udpMode + "\"");
        };
    }

    private Hints hints(int type) {
        int fam = family.value(0);
        Hints.Builder b = Hints.builder().socktype(type).family(fam);
        if (flags.given()) b.rawFlags(flags.value(0));
        else if (fam == NativeSocket.AF_INET6) b.flags(AiFlag.V4MAPPED);
        return b.build();
    }

    private void settings(ObjectNode o, String mode) {
        o.put("proto", proto.name());
        o.put("mode", mode);
        o.put("timeout_ms", timeoutMs);
        o.put("all_addresses", allAddresses);
    }

    private Attempt attempt(int index, AddrInfo ai, String mode) {
        byte[] msg = (message + "\n").getBytes(StandardCharsets.UTF_8);
        SockAddr dst = ai.address();
        SockAddr local = null;
        SockAddr peer = null;
        int sent = -1;
        String step = "socket";
        NativeSocket s = null;
        try {
            s = NativeSocket.open(ai.family(), ai.socktype(), ai.protocol());
            if (timeoutMs > 0) s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofMillis(timeoutMs));
            byte[] buf = new byte[65536];
            Reply reply;
            if (mode.equals("sendto")) {
                step = "sendto";
                sent = s.sendTo(msg, dst);
                local = s.localAddress();
                NativeSocket.ReceivedFrom r = s.recvFrom(buf);
                reply = new Reply(r.length(), SockAddrView.payload(buf, Math.min(r.length(), buf.length)), r.source());
            } else {
                step = "connect";
                if (timeoutMs > 0 && mode.equals("connect")) s.connect(dst, Duration.ofMillis(timeoutMs));
                else s.connect(dst);
                local = s.localAddress();
                peer = s.peerAddress();
                if (mode.equals("connect")) {
                    sent = 0;
                    while (sent < msg.length) sent += s.send(msg, sent, msg.length - sent);
                    int got = 0;
                    while (got < sent) {
                        int n = s.recv(buf, got, buf.length - got);
                        if (n == 0) break;
                        got += n;
                    }
                    if (got == 0) {
                        return new Attempt(index, ai, mode, new Failure("recv", null,
                                "recv returned 0: the peer closed the connection without echoing", false), local, peer,
                                sent, null);
                    }
                    reply = new Reply(got, SockAddrView.payload(buf, got), peer);
                } else {
                    sent = s.send(msg);
                    int n = s.recv(buf);
                    reply = new Reply(n, SockAddrView.payload(buf, Math.min(n, buf.length)), peer);
                }
            }
            return new Attempt(index, ai, mode, null, local, peer, sent, reply);
        } catch (NativeSocketException e) {
            String msgText = e.getMessage();
            if ("EAGAIN".equals(e.errnoName()) || "EWOULDBLOCK".equals(e.errnoName())) {
                msgText += " (no reply within " + timeoutMs + " ms, SO_RCVTIMEO)";
            }
            return new Attempt(index, ai, mode, new Failure(e.call(), e.errnoName(), msgText, false), local, peer, sent,
                    null);
        } catch (IllegalArgumentException e) {
            return new Attempt(index, ai, mode, new Failure(step, null, e.getMessage(), true), local, peer, sent, null);
        } finally {
            if (s != null) s.close();
        }
    }

    /** The prefix of {@code --nat64-prefix} (null without it or for {@code none}); a prefix Nat64 refuses is a usage error. */
    Nat64 nat64() {
        if (nat64Prefix == null || nat64Prefix.equals("none")) return null;
        try {
            return Nat64.parse(nat64Prefix);
        } catch (IllegalArgumentException e) {
            throw usage("--nat64-prefix: " + e.getMessage());
        }
    }

    private void print(Attempt a, Nat64 nat64) {
        AddrInfo ai = a.ai();
        String call = switch (a.mode()) {
            case "sendto" -> "sendto " + ai.address();
            case "connect+send" -> "connect " + ai.address() + ", send";
            default -> "connect " + ai.address();
        };
        String head = "attempt " + a.index() + "  ";
        String pad = " ".repeat(head.length());
        Failure f = a.failure();
        out().println(head + "socket(" + Names.family(ai.family()) + ", " + Names.socktype(ai.socktype()) + ", "
                + AddrInfoView.protocol(ai.protocol()) + "), " + call + ": "
                + (f == null ? "ok" : f.errno() != null ? f.call() + " " + f.errno() : f.call() + " failed"));
        if (f != null) out().println(pad + f.message());
        if (a.local() != null || a.peer() != null) {
            out().println(pad + "local " + SockAddrView.text(a.local())
                    + (a.peer() != null ? ", peer " + SockAddrView.text(a.peer(), nat64) : ""));
        }
        if (a.sent() >= 0) {
            Reply r = a.reply();
            out().println(pad + "sent " + a.sent() + " bytes" + (r == null ? ""
                    : ", reply " + r.bytes() + " bytes from " + SockAddrView.text(r.source()) + ": "
                            + SockAddrView.quoted(r.text())));
        }
        out().flush();
    }

    private static ObjectNode json(Attempt a) {
        ObjectNode o = Json.object();
        o.put("index", a.index());
        o.set("family", AddrInfoView.family(a.ai().family()));
        o.set("socktype", AddrInfoView.socktype(a.ai().socktype()));
        o.put("protocol", a.ai().protocol());
        o.set("address", SockAddrView.json(a.ai().address()));
        o.put("mode", a.mode());
        DemoJson.outcome(o, a.failure(), a.local(), a.peer(), a.sent(), a.reply());
        return o;
    }
}
