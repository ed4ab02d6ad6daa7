package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;

/**
 * {@code dualsock serve} running in-process on its own thread, its stdout read line by line as
 * it is written, so a test can learn the port the kernel picked and then run clients.
 */
final class Served implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^listening on (\\S+):(\\d+) \\(");

    private final Lines out = new Lines();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FutureTask<Integer> task;
    private final List<String> lines = new ArrayList<>();
    private final boolean json;
    private final boolean udp;
    final int port;
    final String firstLine;

    private Served(String... args) throws Exception {
        json = List.of(args).contains("--json");
        udp = List.of(args).contains("udp");
        task = new FutureTask<>(() -> Main.run(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args));
        Thread t = new Thread(task, "serve " + String.join(" ", args));
        t.setDaemon(true); // a failed test must not keep the JVM alive in a blocked accept
        t.start();
        firstLine = nextLine();
        if (json) {
            port = Json.parse(firstLine).get("local").get("port").asInt();
        } else {
            Matcher m = LISTENING.matcher(firstLine);
            if (!m.find()) throw new AssertionError("first line is not 'listening on ...': " + firstLine + "\n" + errText());
            port = Integer.parseInt(m.group(2));
        }
    }

    static Served start(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Served(all);
    }

    /** The next stdout line, waiting for it (10 s guard against a hang, not a timing assertion). */
    String nextLine() throws InterruptedException {
        String l = out.lines.poll(10, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("serve printed no further line; exit " + (task.isDone() ? "done" : "running")
                    + ", stderr: " + errText());
        }
        lines.add(l);
        return l;
    }

    JsonNode nextEvent() throws Exception {
        return Json.parse(nextLine());
    }

    /** Waits for serve to end (after --count); its exit status. */
    int exit() throws Exception {
        return task.get(10, TimeUnit.SECONDS);
    }

    /** Every line printed so far, the ones not yet read included. */
    List<String> allLines() {
        List<String> all = new ArrayList<>(lines);
        out.lines.drainTo(all);
        lines.clear();
        lines.addAll(all);
        return all;
    }

    String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** If serve still runs (a test failed early), pokes it with connections or datagrams until --count is reached. */
    @Override
    public void close() {
        for (int i = 0; i < 10 && !task.isDone(); i++) {
            for (boolean v6 : new boolean[] {true, false}) {
                if (task.isDone()) break;
                try (NativeSocket s = NativeSocket.open(v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET,
                        udp ? NativeSocket.SOCK_DGRAM : NativeSocket.SOCK_STREAM)) {
                    if (v6) s.connect(Inet6SockAddr.loopback(port));
                    else s.connect(Inet4SockAddr.loopback(port));
                    if (udp) s.send(new byte[] {'x'});
                } catch (Exception e) {
                    // that family is not served; the other one is
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Collects bytes and hands over each complete line. */
    private static final class Lines extends OutputStream {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream cur = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(cur.toString(StandardCharsets.UTF_8));
                cur.reset();
            } else {
                cur.write(b);
            }
        }
    }
}
