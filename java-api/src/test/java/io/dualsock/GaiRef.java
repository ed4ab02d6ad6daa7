package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the C reference program {@code gai_ref} (c-shim/tools/gai_ref.c, built by CMake; surefire
 * passes its path as {@code ds.gai_ref}) and formats Java results the way it prints libc's, so
 * that a test can compare the two line by line.
 */
final class GaiRef {
    private GaiRef() {}

    /** What gai_ref printed: result lines (or one "error CODE" line) and gai_strerror's text. */
    record Output(List<String> lines, String gaiStrerror) {
        boolean isError() {
            return lines.size() == 1 && lines.get(0).startsWith("error ");
        }

        int errorCode() {
            return Integer.parseInt(lines.get(0).substring("error ".length()));
        }
    }

    static Path path() {
        String p = System.getProperty("ds.gai_ref");
        assertTrue(p != null && Files.isExecutable(Path.of(p)),
                "system property ds.gai_ref must name the built gai_ref program, got " + p);
        return Path.of(p);
    }

    /** gai_ref HOST SERVICE FAMILY SOCKTYPE PROTOCOL FLAGS (null strings passed as NULL). */
    static Output getaddrinfo(String host, String service, Hints h) {
        String hostArg = str(host);
        byte[] stdin = new byte[0];
        if (hostArg.length() > 60000) { // through stdin: one argument may not exceed 128 KiB
            hostArg = "-stdin";
            stdin = host.getBytes(StandardCharsets.UTF_8);
        }
        return run(List.of(path().toString(), hostArg, str(service), Integer.toString(h.family()),
                Integer.toString(h.socktype()), Integer.toString(h.protocol()), Integer.toString(h.flags())), stdin);
    }

    /** gai_ref -nameinfo ADDRESS PORT FLAGS. */
    static Output getnameinfo(String numericAddress, int port, int flags) {
        return run(List.of(path().toString(), "-nameinfo", str(numericAddress), Integer.toString(port),
                Integer.toString(flags)), new byte[0]);
    }

    /**
     * Anything but plain printable ASCII crosses as hex, so that no command-line encoding can
     * change a byte; plain text crosses as it is, so that a 64 KiB host still fits the kernel's
     * 128 KiB limit on one argument.
     */
    private static String str(String s) {
        if (s == null) return "-null";
        boolean plain = !s.isEmpty() && !s.startsWith("-") && !s.startsWith("hex:")
                && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        return plain ? s : "hex:" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Output run(List<String> cmd, byte[] stdin) {
        try {
            Process p = new ProcessBuilder(cmd).start();
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
            assertEquals(0, p.exitValue(), "gai_ref " + cmd.subList(1, cmd.size()) + " failed: " + stderr);
            List<String> lines = stdout.isEmpty() ? List.of() : Arrays.asList(stdout.split("\n", -1));
            lines = new ArrayList<>(lines);
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
            String text = null;
            for (String l : stderr.split("\n")) {
                if (l.startsWith("gai_strerror: ")) text = l.substring("gai_strerror: ".length());
            }
            return new Output(List.copyOf(lines), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One Java result in gai_ref's format: family socktype protocol address port flowinfo scope canon|-. */
    static String line(AddrInfo ai) {
        String addr = "?";
        long port = 0, flow = 0, scope = 0;
        if (ai.address() instanceof Inet4SockAddr a4) {
            addr = a4.address();
            port = a4.port();
        } else if (ai.address() instanceof Inet6SockAddr a6) {
            addr = a6.address();
            port = a6.port();
            flow = Integer.toUnsignedLong(a6.flowinfo());
            scope = Integer.toUnsignedLong(a6.scopeId());
        }
        return ai.family() + " " + ai.socktype() + " " + ai.protocol() + " " + addr + " " + port + " " + flow + " "
                + scope + " " + (ai.canonicalName() == null ? "-" : ai.canonicalName());
    }

    static List<String> lines(List<AddrInfo> list) {
        return list.stream().map(GaiRef::line).toList();
    }
}
