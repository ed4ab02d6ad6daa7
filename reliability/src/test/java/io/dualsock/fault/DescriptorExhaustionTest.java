package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Descriptor exhaustion (EMFILE), in a child JVM started under {@code ulimit -n 256}: every
 * socket() beyond the limit fails with a clear {@code socket failed: EMFILE} error, accept()
 * fails the same way without losing the waiting connection, getaddrinfo either answers or says
 * EAI_SYSTEM/EMFILE, nothing is leaked (the descriptor count after closing everything equals
 * the count before), and everything works again once descriptors are freed.
 */
class DescriptorExhaustionTest {
    private static final int LIMIT = 256;

    @Test
    void emfileIsClearNothingLeaksAndItRecovers() throws Exception {
        FaultSupport.resetRecord("DescriptorExhaustionTest");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + LIMIT + " && exec \"$@\"", "sh", java,
                "-Xmx256m", "-cp", cp));
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add(EmfileChild.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), "the child JVM must survive exhaustion:\n" + out);
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.substring(0, sp).matches("[A-Z-]+")) f.put(line.substring(0, sp), line.substring(sp + 1));
        }
        String err = f.get("OPEN-ERROR");
        assertNotNull(err, out);
        assertTrue(err.startsWith("EMFILE|socket|socket failed: EMFILE ("), err);
        assertTrue(err.contains("Too many open files"), err);
        int opened = Integer.parseInt(f.get("OPENED"));
        assertTrue(opened > 0 && opened < LIMIT, out);
        assertFalse(out.contains("UNEXPECTED-OPEN") || out.contains("OTHER-ERROR"), out);
        assertTrue(f.get("ACCEPT-ERROR").startsWith("EMFILE|accept|accept failed: EMFILE"), out);
        assertEquals("waiting in the backlog", f.get("RECOVERED-ACCEPT"), "the connection waiting in the backlog was lost");
        assertEquals("true", f.get("RECOVERED-OPEN"), out);
        assertTrue(f.get("GAI-NUMERIC").startsWith("ok"), "numeric getaddrinfo needs no descriptor: " + out);
        String gaiAc = f.get("GAI-ADDRCONFIG");
        assertTrue(gaiAc.startsWith("ok") || gaiAc.startsWith("EAI_SYSTEM|EMFILE|getaddrinfo("), gaiAc);
        assertTrue(f.get("RECOVERED-GAI-ADDRCONFIG").startsWith("ok"), out);
        assertEquals(f.get("BASELINE"), f.get("END"), "descriptors leaked:\n" + out);

        FaultSupport.record("DescriptorExhaustionTest", "ulimit", LIMIT);
        FaultSupport.record("DescriptorExhaustionTest", "sockets_before_emfile", opened);
        FaultSupport.record("DescriptorExhaustionTest", "socket_error", err.split("\\|")[2]);
        FaultSupport.record("DescriptorExhaustionTest", "accept_error", f.get("ACCEPT-ERROR").split("\\|")[2]);
        FaultSupport.record("DescriptorExhaustionTest", "getaddrinfo_numeric_while_exhausted", f.get("GAI-NUMERIC"));
        FaultSupport.record("DescriptorExhaustionTest", "getaddrinfo_addrconfig_while_exhausted",
                gaiAc.startsWith("ok") ? gaiAc : gaiAc.split("\\|")[0] + "/" + gaiAc.split("\\|")[1]);
        FaultSupport.record("DescriptorExhaustionTest", "descriptors_before_after", f.get("BASELINE") + "/" + f.get("END"));
    }

}
