package io.dualsock.cli.compare;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.dualsock.cli.compare.CompareReport.IdnRow;

/**
 * The internationalised-name comparison: one {@link IdnProbe} child JVM per JDK and
 * {@code LANG}, inside the lab namespace (whose hosts file lists only the IDNA form), each
 * started with {@code LANG} set and every {@code LC_*} variable removed, so that the JVM's
 * {@code setlocale(LC_ALL, "")} gives that locale to libc.
 */
final class IdnRun {
    private IdnRun() {}

    /** The locales compared: ASCII only, and UTF-8. */
    static final List<String> LANGS = List.of("C", "C.UTF-8");

    /** The child's environment for one LANG: LANG alone decides the locale. */
    static Map<String, String> env(String lang) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : System.getenv().keySet()) if (k.startsWith("LC_")) env.put(k, null);
        env.put("LANG", lang);
        return env;
    }

    static List<IdnRow> run(List<Jdk> jdks, List<String> names, Sandbox sandbox, List<String> langs, int parallel) {
        List<String> hex = names.stream().map(n -> HexFormat.of().formatHex(n.getBytes(StandardCharsets.UTF_8))).toList();
        record Child(Jdk jdk, String lang) {}
        List<Child> children = new ArrayList<>();
        for (Jdk jdk : jdks) for (String lang : langs) children.add(new Child(jdk, lang));
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<IdnProbe.Output>> fs = new ArrayList<>();
            for (Child c : children) {
                List<String> cmd = ProbeLauncher.javaCommand(c.jdk(), List.of(), IdnProbe.class);
                cmd.addAll(hex);
                String what = "IDN probe " + c.jdk().label() + " LANG=" + c.lang();
                fs.add(ex.submit(() -> ProbeLauncher.mapper().readValue(
                        ProbeLauncher.jsonOf(sandbox.wrap(cmd), env(c.lang()), what), IdnProbe.Output.class)));
            }
            List<IdnRow> rows = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                IdnProbe.Output o = get(fs.get(i));
                for (IdnProbe.Lookup l : o.lookups()) {
                    rows.add(new IdnRow(children.get(i).jdk().label(), children.get(i).lang(), o.lcCtype(), o.codeset(),
                            o.jnuEncoding(), l));
                }
            }
            return rows;
        } finally {
            ex.shutdownNow();
        }
    }

    private static IdnProbe.Output get(Future<IdnProbe.Output> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new ProbeLauncher.ProbeException(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeLauncher.ProbeException("interrupted");
        }
    }
}
