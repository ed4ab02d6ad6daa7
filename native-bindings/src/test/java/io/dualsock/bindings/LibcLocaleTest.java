package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dualsock.testsupport.ChildJvm;
import io.dualsock.testsupport.GaiRef;
import io.dualsock.testsupport.Locales;
import io.dualsock.testsupport.Prerequisite;

/**
 * ds_locale_info through {@link LibcLocale}: the JVM's own locale is what a C program that calls
 * setlocale(LC_ALL, "") gets from the same environment (the reference program gai_ref), and a
 * JVM started under LANG=C or LANG=C.UTF-8 reports that locale.
 */
class LibcLocaleTest {

    /** Prints what the shim says, for the parent to read. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println(LibcLocale.ctype() + " " + LibcLocale.codeset());
        }
    }

    @Test
    void thisJvmsLocaleIsWhatSetlocaleGivesACProgramWithTheSameEnvironment() {
        Prerequisite.require(GaiRef.available(), "gai_ref is not built at " + GaiRef.path());
        GaiRef.Locale c = GaiRef.here().getaddrinfo("127.0.0.1", null, 0, 0, 0, Constants.i("AI_NUMERICHOST")).locale();
        assertEquals(c.ctype(), LibcLocale.ctype());
        assertEquals(c.codeset(), LibcLocale.codeset());
        assertEquals(c.toString(), LibcLocale.describe());
    }

    @Test
    void aJvmStartedUnderLangCReportsTheCLocale() throws Exception {
        assertEquals("C ANSI_X3.4-1968", child("C"));
    }

    @Test
    void aJvmStartedUnderCUtf8ReportsUtf8() throws Exception {
        Prerequisite.require(Locales.installed("C.UTF-8"), "the C.UTF-8 locale is not installed (locale -a)");
        assertEquals("C.UTF-8 UTF-8", child("C.UTF-8"));
    }

    /** A JVM with LANG=lang and no LC_* variable, running {@link Child}. */
    private static String child(String lang) throws Exception {
        List<String> cmd = ChildJvm.command(Child.class);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Locales.onlyLang(pb.environment(), lang);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
