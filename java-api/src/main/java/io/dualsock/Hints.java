package io.dualsock;

import java.util.Objects;

import io.dualsock.bindings.Platform;

/**
 * The {@code hints} argument of {@code getaddrinfo(3)}: family, socket type, protocol and
 * flags, passed to libc unchanged (libc, not dualsock, decides what is valid, so odd values
 * reach it and come back as {@code EAI_*} errors). Immutable; build with {@link #builder()}.
 *
 * <p>Note that glibc's behaviour for a NULL hints pointer ({@code AI_V4MAPPED|AI_ADDRCONFIG})
 * differs from all-zero hints; dualsock always passes a hints structure, so ask for those
 * flags explicitly when you want them.
 */
public final class Hints {
    private final int family;
    private final int socktype;
    private final int protocol;
    private final int flags;

    private Hints(int family, int socktype, int protocol, int flags) {
        this.family = family;
        this.socktype = socktype;
        this.protocol = protocol;
        this.flags = flags;
    }

    /** All zero: AF_UNSPEC, any socket type and protocol, no flags. */
    public static Hints none() {
        return new Hints(0, 0, 0, 0);
    }

    /** A builder starting from {@link #none()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().family(family).socktype(socktype).protocol(protocol).rawFlags(flags);
    }

    /** {@code ai_family}: AF_UNSPEC (0 on Linux), AF_INET or AF_INET6, or any raw value. */
    public int family() { return family; }

    /** {@code ai_socktype}: 0 for any, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, or any raw value. */
    public int socktype() { return socktype; }

    /** {@code ai_protocol}: 0 for any, or an IPPROTO_* value. */
    public int protocol() { return protocol; }

    /** {@code ai_flags}, every bit as it will be passed. */
    public int flags() { return flags; }

    /** Whether every bit of this {@code AI_*} flag is set (false for a flag this platform lacks). */
    public boolean has(AiFlag f) {
        return f.isDefined() && (flags & f.value()) == f.value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hints h && h.family == family && h.socktype == socktype && h.protocol == protocol
                && h.flags == flags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, socktype, protocol, flags);
    }

    @Override
    public String toString() {
        return "Hints[family=" + Names.family(family) + ", socktype=" + Names.socktype(socktype) + ", protocol="
                + protocol + ", flags=" + AiFlag.describe(flags) + "]";
    }

    /** Builds {@link Hints}; each setter replaces that field, {@link #flags} adds bits. */
    public static final class Builder {
        private int family = 0;
        private int socktype;
        private int protocol;
        private int flags;

        private Builder() {}

        /** Raw {@code ai_family} value. */
        public Builder family(int family) {
            this.family = family;
            return this;
        }

        /** {@code ai_family = AF_UNSPEC}: both families. */
        public Builder unspec() { return family(Platform.AF_UNSPEC); }

        /** {@code ai_family = AF_INET}. */
        public Builder inet() { return family(Platform.AF_INET); }

        /** {@code ai_family = AF_INET6}. */
        public Builder inet6() { return family(Platform.AF_INET6); }

        /** {@code ai_socktype}: 0 (any), {@code SOCK_STREAM} or {@code SOCK_DGRAM}. */
        public Builder socktype(int socktype) {
            this.socktype = socktype;
            return this;
        }

        /** {@code ai_socktype = SOCK_STREAM}. */
        public Builder stream() { return socktype(Platform.SOCK_STREAM); }

        /** {@code ai_socktype = SOCK_DGRAM}. */
        public Builder dgram() { return socktype(Platform.SOCK_DGRAM); }

        /** {@code ai_protocol}: 0 (any) or an {@code IPPROTO_*} value. */
        public Builder protocol(int protocol) {
            this.protocol = protocol;
            return this;
        }

        /** Adds the given flags to those already set. */
        public Builder flags(AiFlag... add) {
            for (AiFlag f : Objects.requireNonNull(add, "flags")) {
                flags |= Objects.requireNonNull(f, "flag").value();
            }
            return this;
        }

        /** Replaces all flags with exactly these bits, whatever they mean to libc. */
        public Builder rawFlags(int bits) {
            this.flags = bits;
            return this;
        }

        /** The hints; the builder can go on. */
        public Hints build() {
            return new Hints(family, socktype, protocol, flags);
        }
    }
}
