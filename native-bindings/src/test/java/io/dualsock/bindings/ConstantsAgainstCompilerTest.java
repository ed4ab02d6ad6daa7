package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dualsock.testsupport.Prerequisite;

/**
 * The constants Java reads from the shim against a second reading of the same headers: a small
 * C program compiled here by the system's compiler prints them, and errno's name and text as
 * libc gives them. A constant misread from the shim's table (a wrong name, index or width)
 * differs from the compiler's value.
 */
class ConstantsAgainstCompilerTest {
    /** Each name is both the C expression and the shim's name for it. */
    static final List<String> NAMES = List.of("AF_INET", "AF_INET6", "AF_UNSPEC", "SOCK_STREAM", "SOCK_DGRAM",
            "SOCK_CLOEXEC", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6", "SOL_SOCKET", "SO_REUSEADDR", "SO_RCVBUF",
            "SO_RCVTIMEO", "IPV6_V6ONLY", "TCP_NODELAY", "AI_PASSIVE", "AI_V4MAPPED", "AI_ALL", "AI_ADDRCONFIG",
            "AI_NUMERICHOST", "NI_NAMEREQD", "NI_NUMERICHOST", "EAI_NONAME", "EAI_SYSTEM", "EAI_AGAIN", "MSG_NOSIGNAL",
            "MSG_DONTWAIT", "MSG_TRUNC", "SHUT_RDWR", "POLLIN", "POLLOUT", "O_NONBLOCK", "CLONE_NEWNET", "SYS_recvfrom",
            "SYS_accept4", "SYS_connect");
    static final Map<String, String> SIZES = Map.of(
            "sizeof(struct sockaddr_in)", "sizeof(struct sockaddr_in)",
            "sizeof(struct sockaddr_in6)", "sizeof(struct sockaddr_in6)",
            "sizeof(struct sockaddr_storage)", "sizeof(struct sockaddr_storage)",
            "offsetof(struct sockaddr_in6,sin6_addr)", "offsetof(struct sockaddr_in6, sin6_addr)",
            "offsetof(struct sockaddr_in6,sin6_scope_id)", "offsetof(struct sockaddr_in6, sin6_scope_id)",
            "offsetof(struct sockaddr_in,sin_port)", "offsetof(struct sockaddr_in, sin_port)");

    @Test
    void theShimsConstantsAreTheCompilersValues(@TempDir Path dir) throws Exception {
        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <netdb.h>
                #include <netinet/in.h>
                #include <netinet/tcp.h>
                #include <poll.h>
                #include <sched.h>
                #include <stddef.h>
                #include <stdio.h>
                #include <string.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                int main(void) {
                """);
        for (String n : NAMES) c.append("    printf(\"%s\\t%lld\\n\", \"").append(n).append("\", (long long)(").append(n).append("));\n");
        SIZES.forEach((k, expr) -> c.append("    printf(\"%s\\t%lld\\n\", \"").append(k).append("\", (long long)(").append(expr)
                .append("));\n"));
        c.append("    printf(\"EPERM\\t%d\\n\", EPERM);\n    printf(\"strerror\\t%s\\n\", strerror(ECONNREFUSED));\n")
                .append("    printf(\"ECONNREFUSED\\t%d\\n\", ECONNREFUSED);\n    return 0;\n}\n");
        Path src = dir.resolve("constants.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("constants");
        String out = run(List.of(cc(), "-o", exe.toString(), src.toString()));
        Map<String, String> got = new LinkedHashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            int sp = line.indexOf('\t');
            got.put(line.substring(0, sp), line.substring(sp + 1));
        }
        for (String n : NAMES) assertEquals(Long.parseLong(got.get(n)), Constants.all().get(n), n + " " + out);
        for (String k : SIZES.keySet()) assertEquals(Long.parseLong(got.get(k)), Constants.all().get(k), k);
        assertEquals("EPERM", Errors.errnoName(Integer.parseInt(got.get("EPERM"))));
        int refused = Integer.parseInt(got.get("ECONNREFUSED"));
        assertEquals("ECONNREFUSED", Errors.errnoName(refused));
        assertEquals(got.get("strerror"), Errors.strerror(refused));
    }

    private static String cc() {
        for (String c : List.of("cc", "gcc", "clang")) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(d, c))) return Path.of(d, c).toString();
            }
        }
        throw Prerequisite.missing("no C compiler (cc, gcc, clang) on PATH to read the headers a second time");
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        assertEquals(0, p.exitValue(), cmd + ": " + out);
        return out;
    }
}
