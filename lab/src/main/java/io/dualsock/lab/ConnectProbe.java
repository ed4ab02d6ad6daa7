package io.dualsock.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.ConnectFailedException;
import io.dualsock.ConnectOptions;
import io.dualsock.ConnectTrace;
import io.dualsock.Connector;
import io.dualsock.Nat64;
import io.dualsock.NativeSocketException;
import io.dualsock.SocketOptions;

/**
 * The agent's {@code connect} op: one TCP connect to a name by one client, then the usual echo
 * exchange. Clients: {@code happy} and {@code sequential} ({@link Connector}), {@code socket}
 * ({@code new Socket().connect(new InetSocketAddress(name, port), timeoutMs)}, the first address
 * only, as Java code does). Answer: outcome (ok or an errno name/exception), peer, family of the
 * connection ({@code ipv4}/{@code ipv6}, from the peer address), elapsedMs, attempts, and for
 * the Connector its trace. {@code nat64} (optional): a prefix for the Connector's RFC 8305 §7
 * synthesis, or {@code none}; absent means its default, RFC 7050 discovery.
 */
final class ConnectProbe {
    private ConnectProbe() {}

    static void run(JsonNode req, ObjectNode reply) throws IOException {
        String client = req.path("client").asText();
        String name = req.path("name").asText();
        int port = req.path("port").asInt();
        long timeoutMs = req.path("timeoutMs").asLong(5000);
        byte[] payload = Agent.payload(req);
        reply.put("client", client);
        switch (client) {
            case "happy", "sequential" -> connector(client, name, port, timeoutMs, req, payload, reply);
            case "socket" -> socket(name, port, timeoutMs, payload, reply);
            default -> throw new IllegalArgumentException("unknown client \"" + client + "\"");
        }
    }

    private static void connector(String client, String name, int port, long timeoutMs, JsonNode req, byte[] payload,
            ObjectNode reply) throws IOException {
        ConnectOptions o = (client.equals("happy") ? ConnectOptions.happy() : ConnectOptions.sequential())
                .withAttemptDelay(Duration.ofMillis(req.path("attemptDelayMs").asLong(250)))
                .withTimeout(Duration.ofMillis(timeoutMs));
        String nat64 = req.path("nat64").asText("");
        if (nat64.equals("none")) o = o.withNat64Discovery(null);
        else if (!nat64.isEmpty()) o = o.withNat64(Nat64.parse(nat64));
        ConnectTrace t;
        try (Connector.Connection c = Connector.connect(name, port, o)) {
            t = c.trace();
            reply.put("peer", c.socket().peerAddress().toString());
            reply.put("family", c.socket().peerAddress().family() == io.dualsock.NativeSocket.AF_INET6
                    && !(c.socket().peerAddress() instanceof io.dualsock.Inet6SockAddr m && m.isV4Mapped()) ? "ipv6" : "ipv4");
            c.socket().send(payload);
            c.socket().setOption(SocketOptions.SolSocket.SO_RCVTIMEO, Duration.ofMillis(timeoutMs));
            Agent.checkEcho(reply, payload, Agent.readLine(c.socket()::recv));
            Agent.readToEnd(c.socket()::recv);
        } catch (ConnectFailedException e) {
            t = e.trace();
            reply.put("outcome", t.failureName());
        } catch (NativeSocketException e) {
            t = null;
            reply.put("outcome", e.errnoName());
            reply.put("detail", e.getMessage());
        }
        if (t != null) {
            reply.put("elapsedMs", t.elapsedMs());
            reply.put("attempts", t.attempts().size());
            reply.set("trace", Agent.JSON.readTree(t.toJson()));
        }
    }

    private static void socket(String name, int port, long timeoutMs, byte[] payload, ObjectNode reply) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            InetSocketAddress dst = new InetSocketAddress(name, port);
            reply.put("used", dst.getAddress() == null ? null : dst.getAddress().getHostAddress());
            reply.put("attempts", dst.isUnresolved() ? 0 : 1);
            s.connect(dst, (int) timeoutMs);
            reply.put("elapsedMs", (System.nanoTime() - t0) / 1e6);
            reply.put("peer", String.valueOf(s.getRemoteSocketAddress()));
            reply.put("family", s.getInetAddress() instanceof Inet6Address ? "ipv6" : "ipv4");
            s.setSoTimeout((int) timeoutMs);
            s.getOutputStream().write(payload);
            InputStream in = s.getInputStream();
            Agent.checkEcho(reply, payload, Agent.readLine(in::read));
            Agent.readToEnd(in::read);
        } catch (IOException | RuntimeException e) {
            if (!reply.has("elapsedMs")) reply.put("elapsedMs", (System.nanoTime() - t0) / 1e6);
            reply.put("outcome", e instanceof IOException io ? JdkAgentSide.outcome(io) : e.getClass().getSimpleName());
            reply.put("detail", e.toString());
        }
    }
}
