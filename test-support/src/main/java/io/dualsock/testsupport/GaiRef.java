package io.dualsock.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The one Java driver of the C reference program {@code gai_ref} (c-shim/tools/gai_ref.c: libc's
 * getaddrinfo and getnameinfo called directly, never through the shim). Takes primitives and
 * returns the lines the program printed, so that it serves every module's tests; turning a
 * dualsock result into the same line format ({@link #line}) is the caller's one-line adapter.
 *
 * <p>Surefire passes the program's path as {@code ds.gai_ref}; without it the build's own
 * {@code ../native-bindings/target/cmake/gai_ref} is used. By default the program runs with this
 * JVM's environment, so it sets the same locale the JVM set at start-up; {@link #withEnv} and
 * {@link #wrappedBy} run it under another locale or inside a namespace.
 */
public final class GaiRef {

    private final Map<String, String> env;
    private final UnaryOperator<List<String>> wrapper;

    private GaiRef(Map<String, String> env, UnaryOperator<List<String>> wrapper) {
        this.env = env;
        this.wrapper = wrapper;
    }

    /** The program in this JVM's environment. */
    public static GaiRef here() {
        return new GaiRef(Map.of(), UnaryOperator.identity());
    }

    /**
     * The same with one environment variable set, or removed when {@code value} is null
     * ({@code withEnv("LC_ALL", null).withEnv("LANG", "C")}).
     */
    public GaiRef withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, value);
        return new GaiRef(e, wrapper);
    }

    /** The same, its command line rewritten by {@code wrap} (e.g. to run it in a namespace). */
    public GaiRef wrappedBy(UnaryOperator<List<String>> wrap) {
        return new GaiRef(env, wrap);
    }

    /** What the program printed for one question. */
    public record Output(List<String> lines, String gaiStrerror, Locale locale) {
        /** True for a getaddrinfo/getnameinfo failure ("error CODE [ERRNO]"). */
        public boolean isError() {
            return lines.size() == 1 && lines.get(0).startsWith("error ");
        }

        /** The EAI_* number of a failure. */
        public int errorCode() {
            return Integer.parseInt(lines.get(0).split(" ")[1]);
        }
    }

    /**
     * The locale the program ran in, as it printed it.
     *
     * @param ctype {@code setlocale(LC_CTYPE, NULL)}, e.g. {@code C.UTF-8}
     * @param codeset {@code nl_langinfo(CODESET)}, e.g. {@code UTF-8} or {@code ANSI_X3.4-1968}
     */
    public record Locale(String ctype, String codeset) {
        static Locale parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 3 || !f[0].equals("locale")) throw new IllegalStateException("gai_ref said " + line);
            return new Locale(f[1], f[2]);
        }

        @Override
        public String toString() {
            return "LC_CTYPE=" + ctype + " (codeset " + codeset + ")";
        }
    }

    /** True when the program is built (a test can then skip or fail with {@link Prerequisite}). */
    public static boolean available() {
        return Files.isExecutable(path());
    }

    /** The program: {@code ds.gai_ref}, else the build's own. */
    public static Path path() {
        String p = System.getProperty("ds.gai_ref");
        if (p != null) return Path.of(p);
        return Path.of(System.getProperty("user.dir")).resolve("../native-bindings/target/cmake/gai_ref").normalize();
    }

    /** {@code gai_ref HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS}; null strings are passed as NULL. */
    public Output getaddrinfo(String host, String service, int family, int socktype, int protocol, int flags) {
        String hostArg = str(host);
        byte[] stdin = new byte[0];
        if (hostArg.length() > 60000) { // through stdin: one argument may not exceed 128 KiB
            hostArg = "-stdin";
            stdin = host.getBytes(StandardCharsets.UTF_8);
        }
        return run(List.of(exe(), hostArg, str(service), Integer.toString(family), Integer.toString(socktype),
                Integer.toString(protocol), Integer.toString(flags)), stdin);
    }

    /** {@code gai_ref -nameinfo ADDRESS PORT FLAGS}: "HOST SERV" or "error CODE". */
    public Output getnameinfo(String numericAddress, int port, int flags) {
        return run(List.of(exe(), "-nameinfo", str(numericAddress), Integer.toString(port), Integer.toString(flags)),
                new byte[0]);
    }

    /**
     * A running {@code gai_ref [-numeric] -batch}: many questions, one process. With
     * {@code numericOnly} the program adds AI_NUMERICHOST to every question itself.
     */
    public Batch batch(boolean numericOnly) {
        List<String> cmd = numericOnly ? List.of(exe(), "-numeric", "-batch") : List.of(exe(), "-batch");
        try {
            Process p = start(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Batch(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code gai_ref -batch} process; not thread-safe (callers synchronise). */
    public static final class Batch implements AutoCloseable {
        private final Process process;
        private final Writer to;
        private final BufferedReader from;
        private final Locale locale;

        private Batch(Process p) throws IOException {
            process = p;
            to = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII);
            from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = from.readLine();
            if (first == null) throw new IllegalStateException("gai_ref -batch ended before it printed its locale");
            locale = Locale.parse(first);
        }

        /** The locale the program set at start. */
        public Locale locale() {
            return locale;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The answer's lines, as in one-shot mode (result lines, or one "error CODE ERRNO"). */
        public List<String> getaddrinfo(String host, String service, int family, int socktype, int protocol, int flags) {
            try {
                to.write(str(host) + " " + str(service) + " " + family + " " + socktype + " " + protocol + " " + flags + "\n");
                to.flush();
                List<String> lines = new ArrayList<>();
                for (String l; (l = from.readLine()) != null && !l.equals("end"); ) lines.add(l);
                if (lines.size() == 1 && lines.get(0).equals("bad request")) {
                    throw new IllegalStateException("gai_ref -batch did not understand host=" + host + " service=" + service);
                }
                if (!process.isAlive() && lines.isEmpty()) throw new IllegalStateException("gai_ref -batch died");
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                to.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (IOException ignored) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /**
     * One result in the program's format:
     * {@code FAMILY SOCKTYPE PROTOCOL ADDRESS PORT FLOWINFO SCOPE_ID CANONNAME AI_FLAGS}.
     *
     * @param address as inet_ntop prints it, "?" for another family
     * @param flowinfo unsigned, host order
     * @param scopeId unsigned
     * @param canonName null when libc gave none
     */
    public static String line(int family, int socktype, int protocol, String address, int port, int flowinfo, int scopeId,
            String canonName, int aiFlags) {
        return family + " " + socktype + " " + protocol + " " + address + " " + port + " "
                + Integer.toUnsignedLong(flowinfo) + " " + Integer.toUnsignedLong(scopeId) + " " + canon(canonName) + " "
                + aiFlags;
    }

    /** The canonical name as the program prints it: "-" for null, "hex:.." unless plain. */
    static String canon(String c) {
        if (c == null) return "-";
        return plain(c) ? c : "hex:" + HexFormat.of().formatHex(c.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean plain(String s) {
        return !s.isEmpty() && !s.equals("-") && !s.startsWith("hex:") && s.chars().allMatch(c -> c > 0x20 && c != 0x7f);
    }

    /**
     * An argument: NULL as "-null"; anything that is not plain printable ASCII (or could be read
     * as an option) as hex, so that no command-line encoding can change a byte; plain text as it
     * is, so that a 64 KiB host still fits the kernel's 128 KiB limit on one argument.
     */
    static String str(String s) {
        if (s == null) return "-null";
        boolean plain = !s.isEmpty() && !s.startsWith("-") && !s.startsWith("hex:")
                && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        return plain ? s : "hex:" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private String exe() {
        Path p = path();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("gai_ref is not built at " + p + " (system property ds.gai_ref)");
        }
        return p.toString();
    }

    private ProcessBuilder start(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(wrapper.apply(cmd));
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        return pb;
    }

    private Output run(List<String> cmd, byte[] stdin) {
        try {
            Process p = start(cmd).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin); // gai_ref reads all of it before it prints anything
            }
            // read both pipes fully before waiting: outputs are small, but never risk a full pipe
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gai_ref did not finish: " + cmd);
            }
            String stdout = new String(out, StandardCharsets.UTF_8);
            String stderr = new String(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("gai_ref " + cmd.subList(1, cmd.size()) + " failed (exit " + p.exitValue() + "): " + stderr);
            }
            String text = null;
            Locale locale = null;
            for (String l : stderr.split("\n")) {
                if (l.startsWith("gai_strerror: ")) text = l.substring("gai_strerror: ".length());
                else if (l.startsWith("locale ")) locale = Locale.parse(l);
            }
            return new Output(stdout.lines().toList(), text, locale);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
