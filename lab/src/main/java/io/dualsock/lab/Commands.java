package io.dualsock.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with an argument vector ({@link ProcessBuilder}), never through a shell, so no
 * host name or address from a topology file is ever parsed as shell syntax.
 */
public final class Commands {
    private Commands() {}

    /**
     * Waits up to 2 s for a process that was asked to exit, then kills it and waits up to
     * {@code killWaitSeconds} more; on interruption kills it and keeps the interrupt.
     */
    static void awaitOrKill(Process process, long killWaitSeconds) {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(killWaitSeconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    static ExecResult run(List<String> command) {
        return run(command, DEFAULT_TIMEOUT, null);
    }

    /**
     * Runs the command to completion with an empty stdin, collecting stdout and stderr; after
     * the timeout the process is killed and the exit code is -1.
     *
     * @throws LabException when it cannot be started, or on interruption
     */
    public static ExecResult run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    /**
     * Runs the command to completion; stdin is empty (or {@code input}), stdout and stderr are
     * collected. After the timeout the process is killed and the exit code is -1.
     */
    static ExecResult run(List<String> command, Duration timeout, byte[] input) {
        return run(new ProcessBuilder(command), timeout, input);
    }

    /** {@link #run(List, Duration)} with {@code environment} added to this process's environment. */
    static ExecResult runWithEnvironment(List<String> command, Duration timeout, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        return run(pb, timeout, null);
    }

    private static ExecResult run(ProcessBuilder pb, Duration timeout, byte[] input) {
        List<String> command = pb.command();
        pb.redirectInput(input == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LabException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        try {
            if (input != null) {
                try (var in = p.getOutputStream()) {
                    in.write(input);
                } catch (IOException ignored) {
                    // the program closed its stdin early; its exit status tells the rest
                }
            }
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int code;
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                code = -1;
            } else {
                code = p.exitValue();
            }
            out.join(5000);
            err.join(5000);
            String stderr = err.text();
            if (!done) stderr = stderr + "\n(killed after " + timeout.toMillis() + " ms)";
            return new ExecResult(command, code, out.text(), stderr);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("ds-lab-drain");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buf);
            } catch (IOException e) {
                // the process went away; what was read so far is kept
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
