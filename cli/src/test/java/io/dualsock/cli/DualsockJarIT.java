package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.Locales;
import io.dualsock.testsupport.Prerequisite;

/**
 * Runs the shaded jar and the bin/dualsock launcher as a user would, in a separate process.
 * Run by failsafe after "package" has made the jar (surefire runs before it exists).
 */
class DualsockJarIT {
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private static Path jar;
    private static Path launcher;

    @BeforeAll
    static void paths() {
        jar = Path.of(System.getProperty("ds.jar", "target/dualsock.jar"));
        launcher = Path.of(System.getProperty("ds.launcher", "../bin/dualsock"));
        assertTrue(Files.isRegularFile(jar), "failsafe runs after package, so " + jar + " must exist");
    }

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run run(List<String> command, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k); // a null value unsets the variable
            else pb.environment().put(k, v);
        });
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p, true));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p, false));
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no exit within 120 s: " + command);
        }
        return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(Process p, boolean stdout) {
        try {
            return (stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Run jar(String stdin, String... args) throws Exception {
        return jarEnv(Map.of(), stdin, args);
    }

    @Test
    void mappedJson() throws Exception {
        Run r = jar("", "resolve", "--json", "198.51.100.7", "80", "--family", "inet6", "--socktype", "stream",
                "--flags", "v4mapped");
        assertEquals(0, r.code(), r::toString);
        JsonNode o = Json.parse(r.out());
        assertTrue(o.get("results").size() > 0, r::toString);
        for (JsonNode res : o.get("results")) {
            assertEquals("::ffff:198.51.100.7", res.get("address").asText());
            assertEquals("AF_INET6", res.get("family").asText());
            assertEquals(80, res.get("port").asInt());
        }
    }

    /**
     * Issue 20 end to end: the same AI_IDN question under LANG=C and LANG=C.UTF-8. selftest and
     * resolve's hints name the locale the C reference program gets from the same environment, and
     * the answer is the reference program's in that locale (the name is read from stdin as UTF-8,
     * so the command line's own encoding cannot change it; AI_NUMERICHOST: nothing is looked up).
     */
    @Test
    void idnAnswerAndReportedLocaleFollowLang() throws Exception {
        Prerequisite.require(GaiRef.available(), "gai_ref is not built at " + GaiRef.path());
        Prerequisite.require(Locales.installed("C.UTF-8"), "the C.UTF-8 locale is not installed (locale -a)");
        List<String> seen = new ArrayList<>();
        for (String lang : List.of("C", "C.UTF-8")) {
            Map<String, String> env = new java.util.HashMap<>();
            env.put("LANG", lang);
            env.put("LC_ALL", null);
            env.put("LC_CTYPE", null);
            GaiRef ref = GaiRef.here().withEnv("LANG", lang).withEnv("LC_ALL", null).withEnv("LC_CTYPE", null);
            int flags = io.dualsock.bindings.Constants.i("AI_NUMERICHOST") | io.dualsock.bindings.Constants.i("AI_IDN");
            GaiRef.Output want = ref.getaddrinfo("\u017d136556", null, 0, 0, 0, flags);

            Run self = jarEnv(env, "", "selftest", "--json");
            assertEquals(0, self.code(), self::toString);
            JsonNode locale = Json.parse(self.out()).get("locale");
            assertEquals(want.locale().ctype(), locale.get("lc_ctype").asText(), lang);
            assertEquals(want.locale().codeset(), locale.get("codeset").asText(), lang);

            Run r = jarEnv(env, "{\"host\":\"\u017d136556\",\"flags\":\"AI_NUMERICHOST|AI_IDN\"}\n", "resolve", "--batch", "-");
            JsonNode o = Json.parse(r.out().strip());
            assertEquals(locale, o.get("hints").get("locale"), r::toString);
            assertTrue(want.isError(), want.lines().toString());
            assertEquals(io.dualsock.bindings.Errors.eaiName(want.errorCode()), o.get("error").asText(), lang + ": " + r);
            seen.add(lang + " " + o.get("error").asText());
        }
        // the locale decided: ASCII cannot encode the name, UTF-8 can (and then it is no number)
        assertEquals(List.of("C EAI_IDN_ENCODE", "C.UTF-8 EAI_NONAME"), seen);
    }

    private static Run jarEnv(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, env, stdin);
    }

    @Test
    void exitCodesAndErrorNames() throws Exception {
        Run noname = jar("", "resolve", "nosuch.invalid", "--flags", "numerichost");
        assertEquals(1, noname.code(), noname::toString);
        assertTrue(noname.err().startsWith("dualsock resolve: EAI_NONAME: "), noname::toString);

        Run badFlag = jar("", "resolve", "localhost", "--flags", "v4mappd");
        assertEquals(2, badFlag.code(), badFlag::toString);
        assertTrue(badFlag.err().startsWith("dualsock resolve: USAGE: "), badFlag::toString);

        Run ok = jar("", "resolve", "127.0.0.1");
        assertEquals(0, ok.code(), ok::toString);
    }

    @Test
    void batchOnStdin() throws Exception {
        Run r = jar("{\"host\":\"127.0.0.1\"}\nnot json\n{\"host\":\"::1\",\"service\":\"80\"}\n",
                "resolve", "--batch", "-");
        assertEquals(1, r.code(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r::toString);
        assertTrue(Json.parse(lines[0]).get("error").isNull());
        assertTrue(Json.parse(lines[1]).get("error").asText().startsWith("BAD_QUERY: "));
        assertEquals("::1", Json.parse(lines[2]).get("results").get(0).get("address").asText());
        assertTrue(r.err().startsWith("dualsock resolve: BAD_QUERY: 1 of 3"), r::toString);
    }

    @Test
    void selftestFromTheJar() throws Exception {
        Run r = jar("", "selftest");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("ABI version"), r::toString);
        assertTrue(r.out().contains("bundled /META-INF/native/dualsock/"), "the jar carries the shim: " + r);
    }

    @Test
    void libraryThatDoesNotLoadIsExitOne() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Ddualsock.library.path=/nonexistent/libdualsock.so", "-jar", jar.toString(), "selftest");
        Run r = run(cmd, Map.of(), "");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock selftest: LIBRARY_LOAD: "), r::toString);
        assertTrue(r.err().contains("/nonexistent/libdualsock.so"), r::toString);
        assertTrue(r.out().contains("NOT LOADED"), r::toString);

        Run resolve = run(List.of(cmd.get(0), cmd.get(1), "-jar", jar.toString(), "resolve", "localhost"), Map.of(), "");
        assertEquals(1, resolve.code(), resolve::toString);
        assertTrue(resolve.err().startsWith("dualsock: LIBRARY_LOAD: "), resolve::toString);
    }

    @Test
    void launcherRunsTheJarQuietly() throws Exception {
        assertTrue(Files.isExecutable(launcher), launcher + " must be executable");
        Run r = run(List.of(launcher.toString(), "selftest"), Map.of("JAVA_HOME", System.getProperty("java.home")), "");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("ABI version"), r::toString);
        assertEquals("", r.err(), "no JVM warnings on stderr");
    }

    @Test
    void launcherOnJava25() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), "no Java 25 at " + JAVA_25);
        Run r = run(List.of(launcher.toString(), "resolve", "--json", "::1"), Map.of("JAVA_HOME", JAVA_25.toString()), "");
        assertEquals(0, r.code(), r::toString);
        assertEquals("::1", Json.parse(r.out()).get("results").get(0).get("address").asText());
        assertEquals("", r.err(), "Enable-Native-Access and the launcher keep Java 25 quiet");
    }

    /** Issue 16: on Java 25 the FFM binding needs no sun.misc.Unsafe, so denying it changes nothing and prints nothing. */
    @Test
    void jarOnJava25RunsWithUnsafeDenied() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), "no Java 25 at " + JAVA_25);
        Run r = run(List.of(JAVA_25.resolve("bin/java").toString(), "--sun-misc-unsafe-memory-access=deny", "-jar",
                jar.toString(), "selftest", "--json"), Map.of(), "");
        assertEquals(0, r.code(), r::toString);
        assertEquals("ffm", Json.parse(r.out()).get("library").get("binding").asText(), r::toString);
        assertEquals("", r.err(), "no warning with sun.misc.Unsafe denied");
    }

    /** Issue 17: the jnr binding forced on Java 25 with Unsafe denied: silent with jffi.unsafe.disabled, one clear error without. */
    @Test
    void selftestOnJava25WithUnsafeDeniedIsSilent() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), "no Java 25 at " + JAVA_25);
        String java = JAVA_25.resolve("bin/java").toString();
        Run r = run(List.of(java, "--sun-misc-unsafe-memory-access=deny", "-Djffi.unsafe.disabled=true", "-Ddualsock.binding=jnr",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "selftest"), Map.of(), "");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("ABI version"), r::toString);
        assertEquals("", r.err(), "no JVM warning");
        // without -Djffi.unsafe.disabled=true: one clear error naming it, no NoClassDefFoundError
        Run denied = run(List.of(java, "--sun-misc-unsafe-memory-access=deny", "-Ddualsock.binding=jnr", "-jar", jar.toString(), "selftest"),
                Map.of(), "");
        assertEquals(1, denied.code(), denied::toString);
        assertTrue(denied.err().contains("-Djffi.unsafe.disabled=true") && denied.err().contains("putLong"), denied::toString);
        assertFalse(denied.err().contains("NoClassDefFoundError"), denied::toString);
    }
}
