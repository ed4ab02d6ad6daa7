package io.dualsock.lab;

import java.util.Locale;

/** Enums whose word in files and options is their constant's name in lower case. */
final class Words {
    private Words() {}

    /** {@code FILES} → "files". */
    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose word is {@code word}, exactly; null when none is. */
    static <E extends Enum<E>> E find(Class<E> type, String word) {
        for (E e : type.getEnumConstants()) if (of(e).equals(word)) return e;
        return null;
    }
}
