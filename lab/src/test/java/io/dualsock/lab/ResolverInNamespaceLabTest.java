package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dualsock.NiFlag;
import io.dualsock.bindings.Constants;
import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.Prerequisite;

/**
 * The resolver cases java-api skips where {@code hosts:} in /etc/nsswitch.conf lists DNS (a
 * reverse lookup with {@code NI_NAMEREQD}, a name that is in no hosts file: each would send a
 * query off the machine), run where no query can leave: a throw-away lab host whose
 * nsswitch.conf is {@code hosts: files}, with no route out. dualsock (a JVM inside the
 * namespace) and the C reference gai_ref (in the same namespace) must answer alike, so the
 * {@code NI_NAMEREQD} error path runs in CI (root; skipped with the reason elsewhere).
 */
class ResolverInNamespaceLabTest {
    /** Like /etc/hosts of a stock Debian image here: localhost for IPv4 only, so AF_INET6 finds nothing in files. */
    static final String HOSTS_V4_LOCALHOST = "127.0.0.1 localhost\n198.51.100.10 named.ds.test\n";
    static final String HOSTS = "127.0.0.1 localhost\n::1 localhost\n198.51.100.10 named.ds.test\n2001:db8::10 named.ds.test\n";

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Prerequisite.require(GaiRef.available(), "gai_ref is not built at " + GaiRef.path());
    }

    private static List<String> dualsock(ThrowawayHost h, String... args) {
        List<String> cmd = JavaCommand.current().command(ResolverProbe.class.getName(), List.of(args));
        return Commands.run(h.command(cmd)).orThrow().stdout().lines().toList();
    }

    @Test
    void nameRequiredForAnAddressWithoutNameIsLibcsError() {
        int flags = NiFlag.of(NiFlag.NAMEREQD);
        try (ThrowawayHost h = ThrowawayHost.create(Stack.DUAL, HOSTS)) {
            assertEquals(List.of("hosts: files"), Commands.run(h.command(List.of("grep", "^hosts:", "/etc/nsswitch.conf")))
                    .orThrow().stdout().lines().map(String::strip).toList(), "only files can answer in this host");
            GaiRef ref = GaiRef.here().wrappedBy(h::command);
            for (String address : List.of("198.51.100.1", "198.51.100.99", "2001:db8::99")) {
                GaiRef.Output libc = ref.getnameinfo(address, 80, flags);
                assertTrue(libc.isError(), address + ": " + libc.lines());
                assertEquals(Constants.i("EAI_NONAME"), libc.errorCode(), address + ": " + libc.lines());
                assertEquals(libc.lines(), dualsock(h, "getnameinfo", address, "80", Integer.toString(flags)), address);
            }
            // The control: an address the hosts file names satisfies NI_NAMEREQD, in both.
            GaiRef.Output named = ref.getnameinfo("198.51.100.10", 80, flags);
            assertTrue(named.lines().size() == 1 && named.lines().get(0).startsWith("named.ds.test "), named.lines().toString());
            assertEquals(named.lines(), dualsock(h, "getnameinfo", "198.51.100.10", "80", Integer.toString(flags)));
        }
    }

    @Test
    void aNameInNoHostsFileIsLibcsError() {
        int unspec = Constants.i("AF_UNSPEC");
        int stream = Constants.i("SOCK_STREAM");
        try (ThrowawayHost h = ThrowawayHost.create(Stack.DUAL, HOSTS)) {
            GaiRef ref = GaiRef.here().wrappedBy(h::command);
            for (String name : List.of("missing.ds.test", "named.ds.test")) {
                GaiRef.Output libc = ref.getaddrinfo(name, "80", unspec, stream, 0, 0);
                List<String> expected = new ArrayList<>();
                if (libc.isError()) {
                    expected.add("error " + libc.errorCode());
                } else {
                    // gai_ref prints one line per result; its address is the fourth field
                    for (String l : libc.lines()) expected.add(l.split(" ")[3]);
                }
                assertEquals(expected, dualsock(h, "getaddrinfo", name, "80", Integer.toString(unspec), "0"), name + ": " + libc.lines());
            }
            assertTrue(ref.getaddrinfo("missing.ds.test", "80", unspec, stream, 0, 0).isError());
        }
    }

    /**
     * The rows of java-api's ResolverVsLibcTest.sameAsLibc whose name libc does not read as a
     * number, so that on a {@code hosts: files dns} machine they would reach DNS: "HOST SERVICE
     * FAMILY SOCKTYPE PROTOCOL FLAGS" exactly as that table had them ("-null" is NULL).
     */
    static final List<String> ROWS_THAT_WOULD_ASK_DNS = List.of(
            "fe80::1%nosuchif 22 AF_UNSPEC SOCK_STREAM 0 0",
            "localhost -null AF_INET6 0 0 0");

    /** Each such row, asked of dualsock and of gai_ref in the same files-only host: same lines, or the same EAI code. */
    @Test
    void rowsThatWouldAskDnsAreLibcsAnswer() {
        for (String hosts : List.of(HOSTS, HOSTS_V4_LOCALHOST)) {
            try (ThrowawayHost h = ThrowawayHost.create(Stack.DUAL, hosts)) {
                GaiRef ref = GaiRef.here().wrappedBy(h::command);
                for (String row : ROWS_THAT_WOULD_ASK_DNS) {
                    String[] f = row.split(" ");
                    int family = value(f[2]), socktype = value(f[3]), protocol = value(f[4]), flags = value(f[5]);
                    GaiRef.Output libc = ref.getaddrinfo(nul(f[0]), nul(f[1]), family, socktype, protocol, flags);
                    List<String> expected = libc.isError() ? List.of("error " + libc.errorCode()) : libc.lines();
                    List<String> got = dualsock(h, "addrinfo", f[0], f[1], Integer.toString(family), Integer.toString(socktype),
                            Integer.toString(protocol), Integer.toString(flags));
                    assertEquals(expected, got, row + " with hosts file " + hosts.lines().toList() + ": libc " + libc.lines());
                }
            }
        }
    }

    /** "AF_INET6" / "SOCK_STREAM" / "AI_V4MAPPED|AI_ALL" / "0" to this platform's number (from the C headers). */
    private static int value(String names) {
        int v = 0;
        for (String n : names.split("\\|")) v |= n.equals("0") ? 0 : Constants.i(n);
        return v;
    }

    private static String nul(String s) {
        return "-null".equals(s) ? null : s;
    }

    /**
     * java-api's sameAsGetent for localhost, where /etc/hosts alone answers: here getent (in the
     * files-only host) and dualsock (in the same host) for every database, with and without ::1.
     */
    @Test
    void localhostIsGetentsAnswerInEveryDatabase() {
        for (String hosts : List.of(HOSTS, HOSTS_V4_LOCALHOST)) {
            try (ThrowawayHost h = ThrowawayHost.create(Stack.DUAL, hosts)) {
                for (String database : List.of("ahosts", "ahostsv6", "ahostsv4")) {
                    ExecResult r = Commands.run(h.command(List.of("getent", database, "localhost")));
                    assertTrue(r.exitCode() == 0 || r.exitCode() == 2, database + ": " + r);
                    List<String> getent = r.stdout().lines().filter(l -> !l.isBlank())
                            .map(l -> String.join(" ", l.strip().split("\\s+"))).toList();
                    List<String> got = dualsock(h, "getent", database, "localhost");
                    String what = database + " with hosts file " + hosts.lines().toList();
                    if (r.exitCode() == 2) { // getent found nothing: dualsock must fail too
                        assertTrue(got.size() == 1 && got.get(0).startsWith("error "), what + ": " + got);
                    } else {
                        assertEquals(getent, got, what);
                    }
                }
            }
        }
    }
}
