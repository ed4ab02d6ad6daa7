package io.dualsock;

import java.io.IOException;

/**
 * A {@code getaddrinfo(3)}/{@code getnameinfo(3)} failure: the {@code EAI_*} code, its name and
 * {@code gai_strerror(3)} text, and for {@code EAI_SYSTEM} the errno with its name and text.
 * Example message: {@code getaddrinfo("nosuch.invalid", null, Hints[...]) failed: EAI_NONAME (-2):
 * Name or service not known}.
 */
public final class ResolverException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The failing call: {@code getaddrinfo} or {@code getnameinfo}. */
    private final String call;
    /** The {@code EAI_*} value. */
    private final int code;
    /** The {@code EAI_*} name. */
    private final String codeName;
    /** The errno for {@code EAI_SYSTEM}, else 0. */
    private final int errno;
    /** The errno name for {@code EAI_SYSTEM}, else null. */
    private final String errnoName;

    ResolverException(String call, String args, int code, String codeName, String text, int errno,
                      String errnoName, String errnoText) {
        super(call + "(" + args + ") failed: " + codeName + " (" + code + "): " + text
                + (errnoName != null ? "; errno " + errnoName + " (" + errno + "): " + errnoText : ""));
        this.call = call;
        this.code = code;
        this.codeName = codeName;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** "getaddrinfo" or "getnameinfo". */
    public String call() { return call; }

    /** The EAI_* code (negative on glibc). */
    public int code() { return code; }

    /** "EAI_NONAME". */
    public String codeName() { return codeName; }

    /** errno for EAI_SYSTEM, else 0. */
    public int errno() { return errno; }

    /** errno's name for EAI_SYSTEM ("EMFILE"), else null. */
    public String errnoName() { return errnoName; }
}
