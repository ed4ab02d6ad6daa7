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
            for (String address : List.of("198.51.100.99", "2001:db8::99")) {
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
}
