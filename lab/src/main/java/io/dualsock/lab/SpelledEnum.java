package io.dualsock.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants are written on command lines, in topology files and in JSON reports as
 * their name in lower case with '-' for '_' ({@code UDP_CONNECTED} is {@code udp-connected}).
 */
public interface SpelledEnum {
    /** The constant's name, as {@link Enum#name()} gives it. */
    String name();

    /** The constant's name in lower case, '-' for '_': {@code ipv4}, {@code udp-connected}. */
    default String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose {@link #id()} is {@code s} in any case.
     *
     * @throws IllegalArgumentException {@code unknown <what> "<s>" (<every id>)}
     */
    static <E extends Enum<E> & SpelledEnum> E parse(Class<E> type, String what, String s) {
        String id = s.toLowerCase(Locale.ROOT);
        E[] all = type.getEnumConstants();
        for (E e : all) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("unknown " + what + " \"" + s + "\" ("
                + Arrays.stream(all).map(SpelledEnum::id).collect(Collectors.joining(", ")) + ")");
    }
}
