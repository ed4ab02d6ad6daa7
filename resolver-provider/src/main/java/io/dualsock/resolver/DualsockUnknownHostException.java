package io.dualsock.resolver;

import java.net.UnknownHostException;

import io.dualsock.ResolverException;

/**
 * A lookup that libc answered with an {@code EAI_*} error, as the {@link UnknownHostException}
 * the resolver SPI allows. The message starts with the host and carries the call, the
 * {@code EAI_*} name and {@code gai_strerror(3)}'s text; the cause is dualsock's
 * {@link ResolverException}. {@link #isTemporary()} tells {@code EAI_AGAIN} (the name server did
 * not answer in time: try again later) from a definite answer such as {@code EAI_NONAME}.
 *
 * <p>The JDK hands this exception to the caller of {@code InetAddress.getAllByName} on the lookup
 * that reached libc; a later lookup answered from the JDK's negative cache gets the JDK's own
 * {@code UnknownHostException} (the provider is not asked again).
 */
public final class DualsockUnknownHostException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    /** The failing call, {@code getaddrinfo} or {@code getnameinfo}. */
    private final String call;
    /** The {@code EAI_*} name, e.g. {@code EAI_NONAME}. */
    private final String eaiName;
    /** The {@code EAI_*} value (negative on glibc). */
    private final int eaiCode;

    DualsockUnknownHostException(String host, String call, String eaiName, int eaiCode, String detail, Throwable cause) {
        super(host + ": " + detail);
        this.call = call;
        this.eaiName = eaiName;
        this.eaiCode = eaiCode;
        if (cause != null) initCause(cause);
    }

    static DualsockUnknownHostException of(String host, ResolverException e) {
        return new DualsockUnknownHostException(host, e.call(), e.codeName(), e.code(), e.getMessage(), e);
    }

    /** {@code getaddrinfo} or {@code getnameinfo}. */
    public String call() { return call; }

    /** The {@code EAI_*} name libc returned, e.g. {@code EAI_NONAME}, {@code EAI_AGAIN}. */
    public String eaiName() { return eaiName; }

    /** The {@code EAI_*} value libc returned (negative on glibc). */
    public int eaiCode() { return eaiCode; }

    /** True for {@code EAI_AGAIN}: no definite answer (a name server timed out); asking again later may succeed. */
    public boolean isTemporary() { return "EAI_AGAIN".equals(eaiName); }
}
