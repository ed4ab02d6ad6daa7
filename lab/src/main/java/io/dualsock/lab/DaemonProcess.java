package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server process the lab runs in a namespace (dnsmasq, the DNS responder, Unbound, TAYGA):
 * started with its output merged and stdin from {@code /dev/null}, recorded in the lab's state
 * before anything can fail, its last lines kept, and ready once a line contains a marker.
 */
class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final String ready;
    private final int keep;
    private final Deque<String> log = new ArrayDeque<>();
    private final CountDownLatch started = new CountDownLatch(1);

    /**
     * Starts {@code cmd} (which begins with {@code ip netns exec NS}), records it as {@code what}
     * and returns once a line of its output contains {@code ready}; a process that ends or stays
     * silent for 10 s is stopped and reported with its output.
     */
    DaemonProcess(List<String> cmd, String what, String ready, int keep, LabState state) {
        this.ready = ready;
        this.keep = keep;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new LabException("cannot start " + what + ": " + e.getMessage(), e);
        }
        state.recordProcess(process.toHandle(), what);
        Thread t = new Thread(this::drain, "ds-" + what.split(" ")[0] + "-log");
        t.setDaemon(true);
        t.start();
        try {
            if (!started.await(10, TimeUnit.SECONDS) || !process.isAlive()) {
                close();
                throw new LabException(what + " did not start: " + String.join(" ", cmd) + "\n  " + String.join("\n  ", log()));
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting " + what, e);
        }
    }

    /** Each line of output, on the reading thread (which may run before a subclass's constructor ends). */
    void onLine(String line) {
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                onLine(line);
                synchronized (log) {
                    log.addLast(line);
                    while (log.size() > keep) log.removeFirst();
                }
                if (line.contains(ready)) started.countDown();
            }
        } catch (IOException e) {
            // the process ended
        }
        started.countDown();
    }

    /** The last lines the process wrote. */
    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGTERM, then SIGKILL after 2 s. */
    @Override
    public final void close() {
        process.destroy();
        Commands.awaitOrKill(process, 2);
    }
}
