package io.dualsock.cli;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.ConnectFailedException;
import io.dualsock.ConnectOptions;
import io.dualsock.ConnectTrace;
import io.dualsock.Connector;
import io.dualsock.Nat64;
import io.dualsock.NativeSocketException;
import io.dualsock.cli.demo.SockAddrView;
import io.dualsock.cli.output.Json;

/**
 * {@code dualsock connect --happy|--sequential}: one {@link Connector} run, printed as its
 * timeline (or its trace's JSON with the socket's local and peer addresses added). Connects and
 * closes; no data is sent. {@code --nat64-prefix} gives the connector its NAT64 prefix (RFC 8305
 * §7, IPv6-only hosts) or, as {@code none}, turns synthesis off.
 */
final class TimelineConnect {
    private final ConnectCommand c;

    TimelineConnect(ConnectCommand c) {
        this.c = c;
    }

    int call() throws NativeSocketException {
        ConnectOptions o;
        try {
            o = (c.happy ? ConnectOptions.happy() : ConnectOptions.sequential())
                    .withAttemptDelay(Duration.ofMillis(c.attemptDelayMs))
                    .withResolutionDelay(Duration.ofMillis(c.resolutionDelayMs))
                    .withFirstAddressFamilyCount(c.firstFamilyCount)
                    .withTimeout(c.timeoutMs == 0 ? null : Duration.ofMillis(c.timeoutMs));
            if ("none".equals(c.nat64Prefix)) o = o.withNat64Discovery(null);
            else if (c.nat64() != null) o = o.withNat64(c.nat64());
        } catch (IllegalArgumentException e) {
            throw c.usage(e.getMessage());
        }
        ConnectTrace t;
        String local = null, peer = null, peerText = null;
        try (Connector.Connection conn = Connector.connect(c.host, c.port, o)) {
            t = conn.trace();
            local = conn.socket().localAddress().toString();
            peer = conn.socket().peerAddress().toString();
            peerText = SockAddrView.text(conn.socket().peerAddress(), nat64(c, t));
        } catch (ConnectFailedException e) {
            t = e.trace();
        }
        if (c.json) {
            ObjectNode j;
            try {
                j = (ObjectNode) Json.parse(t.toJson());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the trace's JSON does not parse: " + t.toJson(), e);
            }
            j.put("local", local);
            j.put("peer", peer);
            Json.writePretty(c.out(), j);
        } else {
            c.out().print(t.toText());
            if (local != null) c.out().println("local " + local + ", peer " + peerText);
        }
        c.out().flush();
        if (t.connected()) return ExitCodes.OK;
        String name = t.failureName();
        String why = t.failure().startsWith(name + ": ") ? t.failure().substring(name.length() + 2) : t.failure();
        c.reportError(name, why);
        return ExitCodes.FAILURE;
    }

    /** The prefix to label the peer with: the one given, else the one the connector synthesized with. */
    private static Nat64 nat64(ConnectCommand c, ConnectTrace t) {
        if (c.nat64() != null) return c.nat64();
        return t.nat64() == null || t.nat64().prefixes().isEmpty() ? null : t.nat64().prefixes().get(0);
    }
}
