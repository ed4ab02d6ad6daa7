package io.dualsock.cli;

import java.util.Locale;
import java.util.function.ToIntFunction;

import io.dualsock.NativeSocket;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The getaddrinfo hint options and {@code --proto} as picocli mixins, one class per option: the text
 * as typed, read by {@link HintNames}, a bad value a usage error of the mixing command. Other help
 * words come from that command's resource bundle ({@code <option>.label}, {@code <option>}).
 */
final class HintOptions {
    private HintOptions() {}

    /** What the four hint options share: the text as typed and its reader in {@link HintNames}. */
    abstract static class Hint {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        private final ToIntFunction<String> reader;
        String text;

        Hint(ToIntFunction<String> reader) { this.reader = reader; }

        boolean given() { return text != null; }

        /** The option's text as typed, null when it was not given. */
        String text() { return text; }

        /** The number, or {@code absent} when the option was not given. */
        int value(int absent) {
            if (text == null) return absent;
            try {
                return reader.applyAsInt(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(mixee.commandLine(), e.getMessage());
            }
        }
    }

    /** {@code --family}: {@code ai_family}, an AF_/PF_ name or a number. */
    static final class Family extends Hint {
        Family() { super(HintNames::family); }

        @Option(names = "--family", paramLabel = "${bundle:family.label:-inet|inet6|unspec|N}", descriptionKey = "family",
                description = "ai_family (default AF_UNSPEC).")
        void set(String t) { text = t; }
    }

    /** {@code --socktype}: {@code ai_socktype}, a SOCK_ name or a number. */
    static final class Socktype extends Hint {
        Socktype() { super(HintNames::socktype); }

        @Option(names = "--socktype", paramLabel = "stream|dgram|raw|N", description = "ai_socktype (default 0: any).")
        void set(String t) { text = t; }
    }

    /** {@code --protocol}: {@code ai_protocol}, an IPPROTO_ name or a number. */
    static final class Protocol extends Hint {
        Protocol() { super(HintNames::protocol); }

        @Option(names = "--protocol", paramLabel = "N", description = "ai_protocol (default 0: any).")
        void set(String t) { text = t; }
    }

    /** {@code --flags}: {@code ai_flags}, AI_ names and numbers joined by {@code ,} or {@code |}. */
    static final class Flags extends Hint {
        Flags() { super(HintNames::flags); }

        @Option(names = "--flags", paramLabel = "FLAGS", descriptionKey = "flags", description = "ai_flags, e.g. v4mapped,all (default 0).")
        void set(String t) { text = t; }
    }

    /** {@code --proto tcp|udp} of serve and connect: the socket type, SOCK_STREAM or SOCK_DGRAM. */
    static final class Proto {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--proto", paramLabel = "tcp|udp", description = "SOCK_STREAM or SOCK_DGRAM (default tcp).")
        String text = "tcp";

        /** "tcp" or "udp" as typed, in lower case. */
        String name() { return text.toLowerCase(Locale.ROOT); }

        int socktype() {
            return switch (name()) {
                case "tcp" -> NativeSocket.SOCK_STREAM;
                case "udp" -> NativeSocket.SOCK_DGRAM;
                default -> throw new ParameterException(mixee.commandLine(), "--proto must be tcp or udp, got \"" + text + "\"");
            };
        }
    }
}
