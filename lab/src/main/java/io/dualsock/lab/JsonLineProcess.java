package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The orchestrator's end of a child JVM that speaks one JSON object per line (the lab's
 * {@link Agent} and the matrix's JdkAgent): requests written to its stdin with a fresh
 * {@code id}, answers matched by that id, lines with an {@code event} field queued, the last
 * lines of its stderr kept for error messages. Its owner words the messages; this class only
 * moves the lines. {@link #answerRequests} is the child's end of the same protocol.
 */
public final class JsonLineProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final int stderrLines;
    private final boolean keepUnparsable;
    private final Function<JsonLineProcess, String> exitReasonOf;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile String exitReason;

    /**
     * Starts reading the process's stdout and stderr (daemon threads {@code threadPrefix + "out-" + host}
     * and {@code ... "err-" ...}).
     *
     * @param stderrLines how many of the last stderr lines to keep
     * @param keepUnparsable whether a stdout line that is not JSON joins the stderr lines (else it is dropped)
     * @param exitReasonOf the message for "it is gone", asked once on the stdout thread when stdout ends;
     *        pending and later calls fail with it
     */
    public JsonLineProcess(Process p, String threadPrefix, String host, int stderrLines, boolean keepUnparsable,
                           Function<JsonLineProcess, String> exitReasonOf) {
        this.process = p;
        this.stdin = p.getOutputStream();
        this.stderrLines = stderrLines;
        this.keepUnparsable = keepUnparsable;
        this.exitReasonOf = exitReasonOf;
        Thread o = new Thread(this::readStdout, threadPrefix + "out-" + host);
        o.setDaemon(true);
        o.start();
        Thread e = new Thread(this::readStderr, threadPrefix + "err-" + host);
        e.setDaemon(true);
        e.start();
    }

    /** The -D options that point a child JVM at the same shim and scratch directories as this one. */
    public static List<String> propertyArgs() {
        List<String> args = new ArrayList<>();
        for (String p : List.of("dualsock.library.path", "dualsock.tmpdir", "java.io.tmpdir")) {
            String v = System.getProperty(p);
            if (v != null) args.add("-D" + p + "=" + v);
        }
        return args;
    }

    /** A request object {@code {"op": op}}. */
    public static ObjectNode request(String op) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", op);
        return n;
    }

    /** What a child does with one request: fills the answer, or throws to answer {@code ok:false}. */
    @FunctionalInterface
    public interface Handler {
        void handle(JsonNode request, ObjectNode reply) throws Exception;
    }

    /**
     * The child's end: answers each request line of {@code in} with {@code {"id":n,"ok":true,...}}
     * or {@code {"id":n,"ok":false,"error":errorText(e)}}, in order, until end of input.
     */
    public static void answerRequests(BufferedReader in, Handler handler, Function<Exception, String> errorText,
                                      Consumer<ObjectNode> write) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            ObjectNode reply = JSON.createObjectNode();
            long id = -1;
            try {
                JsonNode req = JSON.readTree(line);
                id = req.path("id").asLong(-1);
                reply.put("id", id);
                handler.handle(req, reply);
                reply.put("ok", true);
            } catch (Exception e) {
                reply.removeAll();
                reply.put("id", id);
                reply.put("ok", false);
                reply.put("error", errorText.apply(e));
            }
            write.accept(reply);
        }
    }

    public Process process() {
        return process;
    }

    /** Why the process is gone, or null while its stdout is open. */
    public String exitReason() {
        return exitReason;
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    if (keepUnparsable) addStderr("(unparsable stdout) " + line);
                    continue;
                }
                if (n.has("event")) {
                    synchronized (events) {
                        events.add(n);
                        events.notifyAll();
                    }
                } else {
                    CompletableFuture<JsonNode> f = pending.remove(n.path("id").asLong(-1));
                    if (f != null) f.complete(n);
                }
            }
        } catch (IOException e) {
            // the process is gone; handled below
        }
        exitReason = exitReasonOf.apply(this);
        for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new LabException(exitReason));
        pending.clear();
        synchronized (events) {
            events.notifyAll();
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) addStderr(line);
        } catch (IOException e) {
            // gone
        }
    }

    private void addStderr(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            while (stderrTail.size() > stderrLines) stderrTail.removeFirst();
        }
    }

    /** Whether any stderr line was kept. */
    public boolean hasStderr() {
        synchronized (stderrTail) {
            return !stderrTail.isEmpty();
        }
    }

    /** The kept stderr lines, joined with a newline and an indent. */
    public String stderrLines() {
        synchronized (stderrTail) {
            return String.join("\n  ", stderrTail);
        }
    }

    /**
     * Writes the request with a fresh id and waits for the answer with that id. Fails with the
     * exit reason when the process is already gone; an answer lost to its end comes as an
     * {@link ExecutionException} around a {@link LabException}. The request's id is forgotten
     * on any failure.
     */
    public JsonNode exchange(ObjectNode request, Duration timeout)
            throws IOException, TimeoutException, ExecutionException, InterruptedException {
        if (exitReason != null) throw new LabException(exitReason);
        long id = ids.incrementAndGet();
        request.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((request.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | TimeoutException | ExecutionException | InterruptedException e) {
            pending.remove(id);
            throw e;
        }
    }

    /** Waits for (and removes) the first event that matches; null after the timeout or once the process is gone. */
    public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Iterator<JsonNode> it = events.iterator(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if (match.test(e)) {
                        it.remove();
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || exitReason != null) return null;
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Removes and returns every queued event. */
    public List<JsonNode> drainEvents() {
        synchronized (events) {
            List<JsonNode> all = new ArrayList<>(events);
            events.clear();
            return all;
        }
    }

    /** Closes its stdin, which ends the agents unless they were told otherwise. */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone, or it is detached either way
        }
    }

    /** Closes stdin (the child exits), waits a little, then kills it. */
    @Override
    public void close() {
        closeStdin();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
