package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.NativeSocket;

/**
 * The lab's program inside a host: started as {@code ip netns exec ds-<lab id>-<host> java ...
 * io.dualsock.lab.Agent <host> [<setting>]} (by {@link AgentProcess}), so it runs in the host's
 * network namespace and, through the bind mounts {@code ip netns exec} makes, sees the host's
 * name table. It serves echo sockets, resolves names and runs single client attempts on
 * request, each on one of two sides: {@value #NATIVE} through dualsock's own API
 * ({@code Resolver}, {@code NativeSocket}), {@value #JDK} the way Java code does
 * ({@code InetAddress}, {@code Socket}, {@code ServerSocket}, {@code DatagramChannel}), with
 * the kernel's view of the JDK's descriptors next to what the JDK reports ({@link KernelView}).
 *
 * <p>Protocol ({@code docs/lab.md}): one JSON object per line. The orchestrator writes requests
 * {@code {"id":n,"op":...,"side":"native"|"jdk"}} to stdin (side defaults to native); the agent
 * answers each in order with {@code {"id":n,"ok":true,...}} or
 * {@code {"id":n,"ok":false,"error":"..."}} on stdout, and writes unsolicited events
 * {@code {"event":"served",...}} when a server has finished an exchange. Nothing else is
 * written to stdout ({@code System.out} is sent to stderr). End of stdin ends the agent, so a
 * killed orchestrator never leaves agents behind — unless the agent was told to
 * {@code detach} (for {@code --keep}), when it keeps serving until killed. The operations and
 * their fields are listed at {@link AgentProcess}.
 */
public final class Agent {
    /** The side that answers through dualsock's {@code Resolver} and {@code NativeSocket}. */
    public static final String NATIVE = "native";
    /** The side that answers through {@code java.net} and NIO, as ordinary Java code. */
    public static final String JDK = "jdk";

    static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final String setting;
    private final PrintStream out;
    private final Side nativeSide;
    private final Side jdkSide;
    private volatile boolean detached;

    /** What one side does with the socket operations. */
    interface Side {
        /** Adds what this side knows of the process to the {@code hello} answer. */
        void hello(ObjectNode reply) throws Exception;

        void serve(JsonNode req, ObjectNode reply) throws Exception;

        void resolve(JsonNode req, ObjectNode reply) throws Exception;

        void exchange(JsonNode req, ObjectNode reply) throws Exception;
    }

    private Agent(String host, String setting, PrintStream out) {
        this.host = host;
        this.setting = setting;
        this.out = out;
        this.nativeSide = new NativeAgentSide(this::write);
        this.jdkSide = new JdkAgentSide(this::write);
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        // Load the shim and its constants while the orchestrator is still wiring the network,
        // so that the first serve or exchange does not pay for it.
        Thread preload = new Thread(() -> {
            try {
                Hints.builder().inet6().flags(AiFlag.V4MAPPED).build();
                NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM).close();
            } catch (Throwable ignored) {
                // the request that needs it will report the failure
            }
        }, "ds-agent-preload");
        preload.setDaemon(true);
        preload.start();
        Agent a = new Agent(args.length > 0 ? args[0] : "?", args.length > 1 ? args[1] : null, protocol);
        a.loop(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void loop(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isBlank()) write(answer(line));
        }
        if (detached) {
            // --keep: the orchestrator is gone on purpose; go on serving until the lab is removed.
            try {
                Thread.currentThread().join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(0);
    }

    private ObjectNode answer(String line) {
        return AgentAnswer.answer(line, this::handle);
    }

    private synchronized void write(ObjectNode n) {
        if (out.checkError() && detached) return;
        out.println(n.toString());
    }

    private void handle(JsonNode req, ObjectNode reply) throws Exception {
        String op = req.path("op").asText();
        Side side = side(req);
        switch (op) {
            case "hello" -> {
                reply.put("host", host);
                if (setting != null) reply.put("setting", setting);
                reply.put("pid", ProcessHandle.current().pid());
                reply.put("netns", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
                reply.put("java", System.getProperty("java.version"));
                reply.put("runtime", System.getProperty("java.runtime.version"));
                reply.put("preferIPv4Stack", System.getProperty("java.net.preferIPv4Stack"));
                reply.put("preferIPv6Addresses", System.getProperty("java.net.preferIPv6Addresses"));
                side.hello(reply);
            }
            case "counters" -> reply.set("counters", JSON.valueToTree(KernelCounters.read().values()));
            case "serve" -> side.serve(req, reply);
            case "resolve" -> side.resolve(req, reply);
            case "exchange" -> {
                KernelCounters before = KernelCounters.read();
                side.exchange(req, reply);
                reply.set("counters", JSON.valueToTree(KernelCounters.read().minus(before)));
            }
            case "connect" -> ConnectProbe.run(req, reply);
            case "detach" -> detached = true;
            default -> throw new IllegalArgumentException("unknown op \"" + op + "\"");
        }
    }

    private Side side(JsonNode req) {
        String s = req.path("side").asText(NATIVE);
        return switch (s) {
            case NATIVE -> nativeSide;
            case JDK -> jdkSide;
            default -> throw new IllegalArgumentException("unknown side \"" + s + "\"");
        };
    }

    // ------------------------------------------------------------------ shared by both sides

    /** The line a client sends and the server echoes; its token lets the served event be matched. */
    static byte[] payload(JsonNode req) {
        return ("dualsock-lab " + req.path("token").asText() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code served} event of server {@code id}; the side adds peer, payload and end. */
    static ObjectNode served(String id, String transport) {
        ObjectNode ev = JSON.createObjectNode();
        ev.put("event", "served");
        ev.put("server", id);
        ev.put("transport", transport);
        return ev;
    }

    /** One read of a stream socket: {@code recv(2)} or {@code InputStream.read}; 0 or less at its end. */
    @FunctionalInterface
    interface Reads<E extends Exception> {
        int read(byte[] b, int off, int len) throws E;
    }

    /** Reads up to the end of a line, the end of the stream, or 1024 bytes. */
    static <E extends Exception> byte[] readLine(Reads<E> in) throws E {
        byte[] buf = new byte[1024];
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r <= 0) break;
            n += r;
            if (buf[n - 1] == '\n') break;
        }
        return Arrays.copyOf(buf, n);
    }

    /** Reads and drops everything up to the end of the stream (the peer's FIN). */
    static <E extends Exception> void readToEnd(Reads<E> in) throws E {
        byte[] rest = new byte[256];
        while (in.read(rest, 0, rest.length) > 0) {
            // every packet of the exchange has arrived once this returns
        }
    }

    /** {@code outcome} ok when the echo is the payload, else BADREPLY and a {@code detail}. */
    static void checkEcho(ObjectNode reply, byte[] payload, byte[] got) {
        if (Arrays.equals(got, payload)) {
            reply.put("outcome", "ok");
        } else {
            reply.put("outcome", "BADREPLY");
            reply.put("detail", "expected the echo of " + payload.length + " bytes, got " + got.length);
        }
    }
}
