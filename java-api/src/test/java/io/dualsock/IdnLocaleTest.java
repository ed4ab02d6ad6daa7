package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.LibcLocale;
import io.dualsock.testsupport.ChildJvm;
import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.Locales;
import io.dualsock.testsupport.Prerequisite;

/**
 * Issue 20, the other direction: with AI_IDN libc reads the host in the process's LC_CTYPE
 * character set, which a JVM takes from LANG at start-up. The same AI_IDN questions are put to
 * dualsock in a child JVM under LANG=C and under LANG=C.UTF-8, and each answer must equal the
 * C reference program's (gai_ref, which calls setlocale(LC_ALL, "")) under the same LANG; both
 * must report the same locale, and the locale must have mattered (EAI_IDN_ENCODE under C only),
 * so that the test cannot pass by running both sides in one locale.
 *
 * <p>No question leaves the machine: the numeric set uses AI_NUMERICHOST; the name set runs
 * both sides in a private network and mount namespace whose /etc/hosts lists the punycode name,
 * whose nsswitch.conf says {@code hosts: files} and whose resolv.conf is empty (root only).
 */
class IdnLocaleTest {

    static final List<String> LANGS = List.of("C", "C.UTF-8");
    static final String NAME = "b\u00fccher.example";           // bücher.example
    static final String PUNYCODE = "xn--bcher-kva.example";    // its IDNA form
    static final String ADDRESS = "198.51.100.14";

    /** One question: host, service (null for NULL), family, socktype, protocol, flags. */
    record Query(String host, String service, int family, int socktype, int protocol, int flags) {
        String encode() {
            return hex(host) + " " + hex(service) + " " + family + " " + socktype + " " + protocol + " " + flags;
        }

        private static String hex(String s) {
            return s == null ? "-" : "x" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static int flags(AiFlag... f) {
        int v = 0;
        for (AiFlag x : f) v |= x.value();
        return v;
    }

    @Test
    void numericIdnQueriesAnswerAsGaiRefUnderEachLang() throws Exception {
        int num = AiFlag.NUMERICHOST.value();
        int idn = AiFlag.IDN.value();
        int canon = flags(AiFlag.CANONNAME, AiFlag.CANONIDN);
        List<Query> qs = List.of(
                new Query("\u017d136556", "", 0, 0, 0, 0xff | num),  // the input of issue 20
                new Query("\u017d136556", null, 0, 0, 0, num | idn),
                new Query(NAME, null, 0, 0, 0, num | idn),
                new Query(PUNYCODE, null, 0, 0, 0, num | idn),
                new Query("\u2603.example", "80", 0, Constants.i("SOCK_STREAM"), 0, num | idn),
                new Query("127.0.0.1", null, 0, 0, 0, num | idn | canon),
                new Query("::1", "443", Constants.i("AF_INET6"), 0, 0, num | idn | canon),
                new Query("127.0.0.1", null, 0, 0, 0, num | canon));
        Map<String, List<List<String>>> got = compareUnderEachLang(qs, UnaryOperator.identity());
        int encode = Constants.i("EAI_IDN_ENCODE");
        // the locale decided: ASCII cannot encode the name, UTF-8 can (and then it is no number)
        assertEquals(List.of("error " + encode + " 0"), got.get("C").get(1));
        assertEquals(List.of("error " + Constants.i("EAI_NONAME") + " 0"), got.get("C.UTF-8").get(1));
    }

    @Test
    void hostsFileNameAnswersAsGaiRefUnderEachLang(@TempDir Path dir) throws Exception {
        Prerequisite.require(LabNamespace.possible(), "a private namespace for the hosts file needs root and unshare");
        LabNamespace ns = new LabNamespace(dir, ADDRESS + " " + PUNYCODE + "\n");
        int idn = AiFlag.IDN.value();
        int canon = flags(AiFlag.CANONNAME, AiFlag.CANONIDN);
        int inet = Constants.i("AF_INET");
        int stream = Constants.i("SOCK_STREAM");
        List<Query> qs = List.of(
                new Query(NAME, null, inet, stream, 0, idn),
                new Query(NAME, null, inet, stream, 0, idn | canon),
                new Query(NAME, null, inet, stream, 0, 0),
                new Query(PUNYCODE, null, inet, stream, 0, idn | canon),
                new Query(PUNYCODE, null, inet, stream, 0, 0));
        Map<String, List<List<String>>> got = compareUnderEachLang(qs, ns::wrap);
        assertEquals(List.of("error " + Constants.i("EAI_IDN_ENCODE") + " 0"), got.get("C").get(0));
        assertTrue(got.get("C.UTF-8").get(0).size() == 1 && got.get("C.UTF-8").get(0).get(0).contains(" " + ADDRESS + " "),
                "under C.UTF-8 the name is converted to " + PUNYCODE + " and found: " + got.get("C.UTF-8").get(0));
        // without AI_IDN the UTF-8 bytes are looked up as they are, in either locale
        assertEquals(got.get("C").get(2), got.get("C.UTF-8").get(2));
    }

    /** Asks the child JVM and gai_ref under each LANG; returns the child's answers per LANG. */
    private static Map<String, List<List<String>>> compareUnderEachLang(List<Query> qs, UnaryOperator<List<String>> wrap)
            throws Exception {
        Prerequisite.require(GaiRef.available(), "gai_ref is not built at " + GaiRef.path());
        Prerequisite.require(Locales.installed("C.UTF-8"), "the C.UTF-8 locale is not installed (locale -a)");
        Map<String, List<List<String>>> all = new LinkedHashMap<>();
        for (String lang : LANGS) {
            GaiRef ref = GaiRef.here().withEnv("LANG", lang).withEnv("LC_ALL", null).withEnv("LC_CTYPE", null)
                    .wrappedBy(wrap);
            List<String> out = child(lang, qs, wrap);
            String locale = out.get(0);
            List<List<String>> answers = split(out.subList(1, out.size()));
            assertEquals(qs.size(), answers.size(), lang + ": " + out);
            for (int i = 0; i < qs.size(); i++) {
                Query q = qs.get(i);
                GaiRef.Output want = ref.getaddrinfo(q.host(), q.service(), q.family(), q.socktype(), q.protocol(), q.flags());
                String where = "LANG=" + lang + " (" + locale + "): getaddrinfo(" + q.host() + ", " + q.service() + ", "
                        + q.family() + ", " + q.socktype() + ", " + q.protocol() + ", " + AiFlag.describe(q.flags()) + ")";
                assertEquals("locale " + want.locale().ctype() + " " + want.locale().codeset(), locale,
                        "dualsock's JVM and gai_ref must be in one locale for " + where);
                assertEquals(want.lines(), answers.get(i), where);
            }
            all.put(lang, answers);
        }
        assertTrue(!all.get("C").equals(all.get("C.UTF-8")), "the answers did not depend on LANG at all: " + all);
        return all;
    }

    private static List<List<String>> split(List<String> lines) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : lines) {
            if (l.equals("end")) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(l);
            }
        }
        return out;
    }

    /** A JVM with LANG=lang and no LC_* variable running {@link Child} on the questions. */
    private static List<String> child(String lang, List<Query> qs, UnaryOperator<List<String>> wrap) throws Exception {
        List<String> cmd = ChildJvm.command(Child.class);
        ProcessBuilder pb = new ProcessBuilder(wrap.apply(cmd)).redirectError(ProcessBuilder.Redirect.INHERIT);
        Locales.onlyLang(pb.environment(), lang);
        Process p = pb.start();
        try (Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
            for (Query q : qs) w.write(q.encode() + "\n");
        }
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, p.exitValue(), "child JVM under LANG=" + lang + ": " + out);
        return out;
    }

    /**
     * The child: prints the locale libc has in this JVM ("locale CTYPE CODESET", as gai_ref
     * prints it), then for each question from stdin dualsock's answer in gai_ref's format and "end".
     */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("locale " + LibcLocale.ctype() + " " + LibcLocale.codeset());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(" ");
                Hints h = Hints.builder().family(Integer.parseInt(f[2])).socktype(Integer.parseInt(f[3]))
                        .protocol(Integer.parseInt(f[4])).rawFlags(Integer.parseInt(f[5])).build();
                try {
                    for (String l : AddrInfoLines.lines(Resolver.getaddrinfo(str(f[0]), str(f[1]), h))) out.println(l);
                } catch (ResolverException e) {
                    out.println("error " + e.code() + " " + e.errno());
                }
                out.println("end");
            }
        }

        private static String str(String hex) {
            return hex.equals("-") ? null : new String(HexFormat.of().parseHex(hex.substring(1)), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code unshare --net --mount} with its own /etc/hosts, {@code hosts: files} and an empty
     * resolv.conf: names are looked up in that file and nowhere else.
     */
    static final class LabNamespace {
        private final Path hosts;
        private final Path nsswitch;
        private final Path resolv;

        LabNamespace(Path dir, String hostsLines) throws IOException {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n" + hostsLines);
            nsswitch = Files.writeString(dir.resolve("nsswitch.conf"), "hosts: files\n");
            resolv = Files.writeString(dir.resolve("resolv.conf"), "");
        }

        static boolean possible() throws InterruptedException {
            try {
                Process p = new ProcessBuilder("unshare", "--net", "--mount", "true").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            }
        }

        List<String> wrap(List<String> command) {
            String script = "set -e\n"
                    + "mount --bind \"$1\" /etc/hosts\n"
                    + "mount --bind \"$2\" /etc/nsswitch.conf\n"
                    + "mount --bind \"$3\" /etc/resolv.conf\n"
                    + "shift 3\nexec \"$@\"\n";
            List<String> out = new ArrayList<>(List.of("unshare", "--net", "--mount", "--propagation", "private", "--",
                    "/bin/sh", "-c", script, "ds-idn", hosts.toString(), nsswitch.toString(), resolv.toString()));
            out.addAll(command);
            return out;
        }
    }
}
