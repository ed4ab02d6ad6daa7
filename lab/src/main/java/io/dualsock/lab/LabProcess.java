package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A long-running program of yours in a lab host, started with {@link LabHost#start}: a server
 * under test, a client that runs while the test looks at the wire. Its stdout and stderr are
 * read as they come (no pipe fills up), kept line by line, and searched by
 * {@link #awaitOutput}; {@link #stop()} ends it.
 *
 * <pre>{@code
 * try (LabProcess server = lab.host("b").start(JavaProgram.of(MyServer.class.getName(), "8080"))) {
 *     server.awaitOutput(Pattern.compile("listening"), Duration.ofSeconds(20));
 *     ... // a client in host "a" talks to it
 * } // stop(): SIGTERM, SIGKILL after the grace period, reaped
 * }</pre>
 *
 * <p>Defaults: stdin is empty (closed at once); the last {@value #KEPT_LINES} lines of each
 * stream are kept; {@link #stop()} sends SIGTERM and, when the program is still there after
 * {@link #DEFAULT_GRACE} (5 s), SIGKILL, and waits until it has been reaped. A process still
 * running when its lab closes is stopped then, the same way; and since the lab records it
 * (pid and start time), a lab whose JVM was killed with {@code kill -9} leaves nothing of it
 * either: the next lab to start kills it with the lab's namespaces.
 */
public final class LabProcess implements AutoCloseable {
    /** How long {@link #stop()} waits after SIGTERM before SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Lines kept per stream; older ones are dropped. */
    public static final int KEPT_LINES = 10_000;

    private final String what;
    private final Process process;
    private final Deque<String> stdout = new ArrayDeque<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread[] readers = new Thread[2];
    private volatile Duration grace = DEFAULT_GRACE;

    LabProcess(String what, Process process) {
        this.what = what;
        this.process = process;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // it has no stdin either way
        }
        readers[0] = reader(process.getInputStream(), stdout, "out");
        readers[1] = reader(process.getErrorStream(), stderr, "err");
    }

    private Thread reader(InputStream in, Deque<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        lines.addLast(line);
                        while (lines.size() > KEPT_LINES) lines.removeFirst();
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            synchronized (this) {
                notifyAll();
            }
        }, "ds-lab-process-" + name + "-" + process.pid());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The process id (of the program itself: {@code ip netns exec} replaces itself with it). */
    public long pid() {
        return process.pid();
    }

    /** The command as started, for messages. */
    @Override
    public String toString() {
        return what + " (pid " + pid() + ")";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its stdout so far (the kept lines, each ended by {@code \n}). */
    public synchronized String stdout() {
        return joined(stdout);
    }

    /** Its stderr so far. */
    public synchronized String stderr() {
        return joined(stderr);
    }

    private static String joined(Deque<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        return sb.toString();
    }

    /**
     * Waits until a line of its stdout or stderr (already printed or to come) contains a match of
     * {@code pattern}, and returns that line.
     *
     * @throws LabException when the program ends, or the time is up, without such a line; the
     *         message has the program's last lines
     */
    public String awaitOutput(Pattern pattern, Duration timeout) {
        Objects.requireNonNull(pattern, "pattern");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Deque<String> lines : List.of(stdout, stderr)) {
                    for (String l : lines) if (pattern.matcher(l).find()) return l;
                }
                boolean ended = !process.isAlive() && !readers[0].isAlive() && !readers[1].isAlive();
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new LabException(this + (ended ? " ended (exit " + process.exitValue() + ")" : " did not print")
                            + " a line matching /" + pattern + "/" + (ended ? "" : " within " + timeout.toMillis() + " ms")
                            + tail());
                }
                try {
                    wait(Math.max(1, Math.min(left / 1_000_000, 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while waiting for output of " + this, e);
                }
            }
        }
    }

    /**
     * Waits for the program to end by itself.
     *
     * @return its exit code
     * @throws LabException when it still runs after the timeout (it keeps running)
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LabException(this + " still runs after " + timeout.toMillis() + " ms" + tail());
            }
            drained();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for " + this, e);
        }
    }

    /** This process with another grace period for {@link #stop()} (and for the lab's close). */
    public LabProcess grace(Duration d) {
        this.grace = Objects.requireNonNull(d, "d");
        return this;
    }

    /**
     * Ends the program: SIGTERM, then SIGKILL when it is still there after the grace period
     * ({@link #DEFAULT_GRACE} unless {@link #grace} says otherwise); returns once it is reaped.
     * Idempotent.
     *
     * @return its exit code (143 for a program that SIGTERM ended, 137 for one SIGKILL ended)
     */
    public int stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (process.isAlive()) return -1;
        drained();
        return process.exitValue();
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Lets the readers take the last lines the program wrote before it ended. */
    private void drained() {
        for (Thread t : readers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized String tail() {
        Deque<String> last = new ArrayDeque<>();
        for (Deque<String> lines : List.of(stdout, stderr)) {
            lines.stream().skip(Math.max(0, lines.size() - 10)).forEach(last::addLast);
        }
        return last.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", last);
    }
}
