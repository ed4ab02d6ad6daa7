package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * dnsmasq (or, when the topology delays answers, {@link DnsResponder}) serving the topology's
 * A and AAAA records from the lab's namespace {@code ds-<lab id>-dns}
 * ({@value Topology#DNS4} and {@value Topology#DNS6}), with no upstream server: a query for
 * any other name is refused, never forwarded (and no route leaves the lab anyway). Its query
 * log is kept for the report.
 */
final class DnsServer implements AutoCloseable {
    static final String HOST = "dns";
    private static final int LOG_LINES = 2000;

    private final Process process;
    private final Deque<String> log = new ArrayDeque<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile int queries;

    private DnsServer(Process p) {
        this.process = p;
        Thread t = new Thread(this::drain, "ds-dnsmasq-log");
        t.setDaemon(true);
        t.start();
    }

    static DnsServer start(Topology t, LabState state) {
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", state.names().namespace(HOST)));
        // dnsmasq answers at once; delayed answers need the lab's own responder
        if (t.dnsDelays().isEmpty()) cmd.addAll(NameFiles.dnsmasqArgs(t));
        else cmd.addAll(JavaCommand.current().command(DnsResponder.class.getName(), List.of(TopologyJson.toJson(t).toString())));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LabException("cannot start dnsmasq: " + e.getMessage(), e);
        }
        state.recordProcess(p.toHandle(), "dnsmasq");
        DnsServer d = new DnsServer(p);
        try {
            // dnsmasq logs "started" after it has bound its sockets.
            if (!d.started.await(10, TimeUnit.SECONDS) || !p.isAlive()) {
                p.destroyForcibly();
                throw new LabException("dnsmasq did not start: " + String.join(" ", cmd) + "\n  " + String.join("\n  ", d.log()));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting dnsmasq", e);
        }
        return d;
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains(" query[")) queries++;
                synchronized (log) {
                    log.addLast(line);
                    while (log.size() > LOG_LINES) log.removeFirst();
                }
                if (line.contains("started, version")) started.countDown();
            }
        } catch (IOException e) {
            // dnsmasq ended
        }
        started.countDown();
    }

    /** The last lines dnsmasq logged (queries and answers). */
    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    int queries() {
        return queries;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        process.destroy();
        Commands.awaitOrKill(process, 2);
    }
}
