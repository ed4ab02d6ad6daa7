package io.dualsock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Locales for tests that start a process under another one: libc converts AI_IDN names with the
 * process's LC_CTYPE, which a JVM and a C program both take from {@code LC_ALL}, {@code LC_CTYPE}
 * and {@code LANG} (in that order) when they call {@code setlocale(LC_ALL, "")}.
 */
public final class Locales {
    private Locales() {}

    /** True when {@code locale -a} lists the locale ({@code C.UTF-8} and {@code C.utf8} are one). */
    public static boolean installed(String name) {
        if (name.equals("C") || name.equals("POSIX")) return true;
        try {
            Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            return out.lines().anyMatch(l -> normal(l).equals(normal(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sets {@code LANG} and removes every {@code LC_*} variable, so that LANG alone decides. */
    public static void onlyLang(Map<String, String> env, String lang) {
        env.keySet().removeIf(k -> k.startsWith("LC_"));
        env.put("LANG", lang);
    }

    private static String normal(String locale) {
        return locale.toLowerCase(Locale.ROOT).replace("-", "");
    }
}
