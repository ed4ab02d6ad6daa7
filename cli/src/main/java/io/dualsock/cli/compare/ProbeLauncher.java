package io.dualsock.cli.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.lab.Commands;
import io.dualsock.lab.ExecResult;
import io.dualsock.lab.JavaCommand;
import io.dualsock.lab.LabException;

/**
 * Starts {@link JdkProbe} in child JVMs: {@code <jdk>/bin/java <setting's -D options> -cp <this
 * class path> io.dualsock.cli.compare.JdkProbe ...} as the lab's {@link JavaCommand} writes it,
 * optionally inside a {@link Sandbox}, several at a time, and reads back their JSON.
 */
public final class ProbeLauncher {
    private ProbeLauncher() {}

    /** How long one child may take before it is killed (a JVM start plus loopback work: seconds). */
    static final long TIMEOUT_SECONDS = 120;

    /**
     * One child JVM to run.
     *
     * @param jdk the JDK to run it on
     * @param setting the property setting it starts with
     * @param hosts names and literals for InetAddress.getAllByName
     * @param service service passed to the libc side, or null
     * @param libc also ask libc inside the child
     * @param sockets run the socket facts
     * @param security security properties set before the first lookup ({@code key=value})
     * @param cacheFile run the cache demonstration on this hosts file (only inside a sandbox)
     * @param sandbox run inside this lab namespace, or null for the current one
     */
    public record Request(Jdk jdk, JdkSetting setting, List<String> hosts, String service, boolean libc, boolean sockets,
            List<String> security, Path cacheFile, Sandbox sandbox) {
        public Request {
            hosts = List.copyOf(hosts);
            security = List.copyOf(security);
        }

        String describe() {
            return jdk.label() + " " + setting.label() + (sandbox != null ? " (lab)" : "");
        }
    }

    /** A child that did not produce its JSON: the command and what it wrote to stderr. */
    public static final class ProbeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProbeException(String message) {
            super(message);
        }
    }

    /** The java command line of a request, wrapped in its sandbox if it has one. */
    static List<String> command(Request r) {
        List<String> jvm = new ArrayList<>();
        // Lets the probe ask sun.net.InetAddressCachePolicy what the cache policy really is.
        if (r.jdk().feature() >= 9) jvm.add("--add-exports=java.base/sun.net=ALL-UNNAMED");
        jvm.addAll(r.setting().jvmArgs());
        List<String> args = new ArrayList<>(List.of("--setting", r.setting().label()));
        for (String h : r.hosts()) {
            args.add("--host");
            args.add(h);
        }
        if (r.service() != null) {
            args.add("--service");
            args.add(r.service());
        }
        if (r.libc()) args.add("--libc");
        if (r.sockets()) args.add("--sockets");
        for (String s : r.security()) {
            args.add("--security");
            args.add(s);
        }
        if (r.cacheFile() != null) {
            args.add("--cache-demo");
            args.add(r.cacheFile().toString());
        }
        List<String> cmd = JavaCommand.of(r.jdk().java(), r.jdk().feature()).withJvmArgs(jvm)
                .command(JdkProbe.class.getName(), args);
        if (r.sandbox() == null) return cmd;
        return r.cacheFile() != null ? r.sandbox().wrap(cmd, r.cacheFile()) : r.sandbox().wrap(cmd);
    }

    /** Runs one child and parses its answer. */
    public static ProbeOutput run(Request r) {
        String json = jsonOf(command(r), Map.of(), "probe " + r.describe());
        try {
            return mapper().readValue(json, ProbeOutput.class);
        } catch (IOException e) {
            throw new ProbeException("probe " + r.describe() + ": " + e);
        }
    }

    /** {@code <jdk>/bin/java … -cp <this class path> <main>}, as every child JVM of the lab is started. */
    static List<String> javaCommand(Jdk jdk, List<String> jvmArgs, Class<?> main) {
        return new ArrayList<>(JavaCommand.of(jdk.java(), jdk.feature()).withJvmArgs(jvmArgs).command(main.getName(), List.of()));
    }

    /**
     * Runs a child that prints {@link JdkProbe#MARKER} and then one JSON document, and returns
     * that document. {@code env} changes the child's environment through {@code env(1)} (a null
     * value removes the variable); {@code what} names the child in errors.
     */
    static String jsonOf(List<String> cmd, Map<String, String> env, String what) {
        List<String> full = new ArrayList<>();
        if (!env.isEmpty()) {
            full.add("env");
            env.forEach((k, v) -> {
                if (v == null) {
                    full.add("-u");
                    full.add(k);
                }
            });
            env.forEach((k, v) -> {
                if (v != null) full.add(k + "=" + v);
            });
        }
        full.addAll(cmd);
        ExecResult x;
        try {
            x = Commands.run(full, Duration.ofSeconds(TIMEOUT_SECONDS));
        } catch (LabException e) {
            throw new ProbeException(what + ": " + e.getMessage());
        }
        if (x.exitCode() == -1) throw new ProbeException(what + " timed out after " + TIMEOUT_SECONDS + " s");
        int at = x.stdout().indexOf(JdkProbe.MARKER);
        if (x.exitCode() != 0 || at < 0) {
            throw new ProbeException(what + " failed (exit " + x.exitCode() + "): " + String.join(" ", full)
                    + "\nstderr:\n" + tail(x.stderr()) + "\nstdout:\n" + tail(x.stdout()));
        }
        return x.stdout().substring(at + JdkProbe.MARKER.length()).trim();
    }

    /** Runs the children, {@code parallel} at a time, answers in request order. */
    public static List<ProbeOutput> runAll(List<Request> requests, int parallel) {
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<ProbeOutput>> fs = new ArrayList<>();
            for (Request r : requests) fs.add(ex.submit(() -> run(r)));
            List<ProbeOutput> out = new ArrayList<>();
            for (Future<ProbeOutput> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new ProbeException(e.getCause().toString());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } finally {
            ex.shutdownNow();
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}
