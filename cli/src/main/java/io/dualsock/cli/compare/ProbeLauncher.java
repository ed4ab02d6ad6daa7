package io.dualsock.cli.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts {@link JdkProbe} in child JVMs: {@code <jdk>/bin/java -cp <this class path>
 * <setting's -D options> io.dualsock.cli.compare.JdkProbe ...}, optionally inside a
 * {@link Sandbox}, several at a time, and reads back their JSON.
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

    /** The java command line of a request, before any sandbox wrapping. */
    static List<String> command(Request r) {
        List<String> cmd = javaCommand(r.jdk(), r.setting().jvmArgs(), JdkProbe.class);
        cmd.add("--setting");
        cmd.add(r.setting().label());
        for (String h : r.hosts()) {
            cmd.add("--host");
            cmd.add(h);
        }
        if (r.service() != null) {
            cmd.add("--service");
            cmd.add(r.service());
        }
        if (r.libc()) cmd.add("--libc");
        if (r.sockets()) cmd.add("--sockets");
        for (String s : r.security()) {
            cmd.add("--security");
            cmd.add(s);
        }
        if (r.cacheFile() != null) {
            cmd.add("--cache-demo");
            cmd.add(r.cacheFile().toString());
        }
        if (r.sandbox() == null) return cmd;
        return r.cacheFile() != null ? r.sandbox().wrap(cmd, r.cacheFile()) : r.sandbox().wrap(cmd);
    }

    /** {@code <jdk>/bin/java <our options> <jvmArgs> -cp <this class path> <main>}. */
    static List<String> javaCommand(Jdk jdk, List<String> jvmArgs, Class<?> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        // jnr-ffi's JNI stub and Unsafe use make Java 24+ warn; the flag exists since 17.
        if (jdk.feature() >= 17) cmd.add("--enable-native-access=ALL-UNNAMED");
        // Lets the probe ask sun.net.InetAddressCachePolicy what the cache policy really is.
        if (jdk.feature() >= 9) cmd.add("--add-exports=java.base/sun.net=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("dualsock.")) cmd.add("-D" + k + "=" + System.getProperty(k));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        return cmd;
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

    /**
     * Runs a child that prints {@link JdkProbe#MARKER} and then one JSON document, and returns
     * that document. {@code env} is applied to the child's environment (a null value removes the
     * variable); {@code what} names the child in errors.
     */
    static String jsonOf(List<String> cmd, Map<String, String> env, String what) {
        Path err = null;
        try {
            err = Files.createTempFile("ds-probe-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ProbeException(what + " timed out after " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            int at = text.indexOf(JdkProbe.MARKER);
            if (p.exitValue() != 0 || at < 0) {
                throw new ProbeException(what + " failed (exit " + p.exitValue() + "): "
                        + String.join(" ", cmd) + "\nstderr:\n" + tail(Files.readString(err)) + "\nstdout:\n" + tail(text));
            }
            return text.substring(at + JdkProbe.MARKER.length()).trim();
        } catch (IOException e) {
            throw new ProbeException(what + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while waiting for " + what);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
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
