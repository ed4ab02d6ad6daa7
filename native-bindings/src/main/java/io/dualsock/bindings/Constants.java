package io.dualsock.bindings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Every platform constant, struct size and offset the Java side uses, read once from the shim
 * ({@code ds_constant_*}), which took them from the C headers at build time. Nothing here is
 * typed into Java.
 */
public final class Constants {
    private Constants() {}

    private static final class Table {
        static final Map<String, Long> ALL = load();
    }

    private static Map<String, Long> load() {
        Shim shim = Native.shim();
        int n = shim.ds_constant_count();
        Map<String, Long> m = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            m.put(shim.ds_constant_name(i), shim.ds_constant_value(i));
        }
        return Collections.unmodifiableMap(m);
    }

    /** All constants in the shim's order (grouped as in {@code ds_constants.c}). */
    public static Map<String, Long> all() {
        return Table.ALL;
    }

    public static OptionalLong find(String name) {
        Long v = Table.ALL.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** The value of a constant this platform must define; absent means a broken build. */
    public static int i(String name) {
        Long v = Table.ALL.get(name);
        if (v == null) {
            throw new NoSuchElementException("platform constant " + name + " not exported by libdualsock");
        }
        return Math.toIntExact(v);
    }

    /**
     * A constant the platform may lack, for an API that names it (AI_IDN, NI_IDN).
     *
     * @throws UnsupportedOperationException when this platform's headers do not define it
     */
    public static int defined(String name) {
        Long v = Table.ALL.get(name);
        if (v == null) throw new UnsupportedOperationException(name + " is not defined on this platform");
        return Math.toIntExact(v);
    }
}
