package io.dualsock.cli.clients.peers;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.AgentAnswer;
import io.dualsock.lab.Daemons;

/**
 * The clients table's program inside a lab host, for the connect implementations that are not
 * dualsock's: {@code java.net.Socket}, the JDK {@code HttpClient}, OkHttp and Netty, each called
 * the way an application calls it ({@link PeerClients}), and on server hosts a small HTTP
 * responder for the two HTTP clients. Started as {@code ip netns exec ds-<lab id>-<host> java ...
 * PeerAgent <host>} with a class path that holds the OkHttp and Netty jars, which no dualsock
 * library carries (see {@code docs/happy-eyeballs.md}).
 *
 * <p>It speaks the lab agent's protocol ({@code io.dualsock.lab.AgentProcess}): one JSON request
 * per line on stdin, {@code {"id":n,"ok":true,...}} or {@code {"id":n,"ok":false,"error":...}}
 * per request on stdout, and events. Requests:
 * <ul>
 *   <li>{@code hello} → pid, java, preferIPv6Addresses, netns;</li>
 *   <li>{@code http} {port} → local: starts the HTTP responder on the wildcard address (IPv6 and
 *       IPv4); each request's path is a token, answered with {@code dualsock-lab <token>\n} and
 *       {@code Connection: close}, then the event {@code served} {server "http", peer, payload}
 *       once the client's FIN has arrived (so every packet of the exchange has been counted);</li>
 *   <li>{@code connect} {client (socket, httpclient, okhttp, netty), name, port, timeoutMs, token}
 *       → outcome (ok, TIMEOUT, an errno name the exception's message names, or the exception's
 *       class), family (ipv4/ipv6 as the client saw its peer), peer, connectedMs (or the time of
 *       the failure), attempts (as the client reports them; absent when it cannot tell), tried[]
 *       (addresses, in order), detail.</li>
 * </ul>
 */
public final class PeerAgent {
    static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private ServerSocket http;

    private PeerAgent(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        PeerAgent a = new PeerAgent(protocol);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isBlank()) a.write(a.answer(line));
        }
        System.exit(0);
    }

    private ObjectNode answer(String line) {
        return AgentAnswer.answer(line, this::handle);
    }

    private void handle(JsonNode req, ObjectNode reply) throws Exception {
        switch (req.path("op").asText()) {
            case "hello" -> {
                reply.put("pid", ProcessHandle.current().pid());
                reply.put("java", System.getProperty("java.version"));
                reply.put("preferIPv6Addresses", System.getProperty("java.net.preferIPv6Addresses"));
                reply.put("netns", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
            }
            case "http" -> reply.put("local", startHttp(req.path("port").asInt()));
            case "connect" -> PeerClients.connect(req, reply);
            default -> throw new IllegalArgumentException("unknown op \"" + req.path("op").asText() + "\"");
        }
    }

    private synchronized void write(ObjectNode n) {
        out.println(n.toString());
    }

    // ------------------------------------------------------------------ the HTTP responder

    private synchronized String startHttp(int port) throws IOException {
        if (http != null) return String.valueOf(http.getLocalSocketAddress());
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(port), 64);
        http = s;
        Daemons.start("peer-http-accept", () -> Daemons.acceptEach(s, "peer-http", this::serve));
        return String.valueOf(s.getLocalSocketAddress());
    }

    /** One request: read its head, answer with the token from its path, close our side, read to the client's FIN. */
    private void serve(Socket c) {
        String peer = String.valueOf(c.getRemoteSocketAddress());
        try (c) {
            c.setSoTimeout(10_000);
            InputStream in = c.getInputStream();
            String head = readHead(in);
            String first = head.lines().findFirst().orElse("");
            String[] parts = first.split(" ");
            String token = parts.length > 1 && parts[1].startsWith("/") ? parts[1].substring(1) : "";
            byte[] body = ("dualsock-lab " + token + "\n").getBytes(StandardCharsets.UTF_8);
            OutputStream o = c.getOutputStream();
            o.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(body);
            o.flush();
            c.shutdownOutput();
            byte[] rest = new byte[512];
            while (in.read(rest) > 0) {
                // up to the client's FIN: then every packet it sent has been counted
            }
            ObjectNode ev = JSON.createObjectNode();
            ev.put("event", "served");
            ev.put("server", "http");
            ev.put("transport", "tcp");
            ev.put("peer", peer);
            ev.put("payload", "dualsock-lab " + token);
            write(ev);
        } catch (IOException e) {
            ObjectNode ev = JSON.createObjectNode();
            ev.put("event", "http-failed");
            ev.put("peer", peer);
            ev.put("error", e.toString());
            write(ev);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && sb.length() < 8192) {
            sb.append((char) b);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) break;
        }
        return sb.toString();
    }
}
