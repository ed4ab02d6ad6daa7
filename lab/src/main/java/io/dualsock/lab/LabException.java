package io.dualsock.lab;

/**
 * The lab could not do what was asked: a command failed ({@code ip}, {@code dnsmasq}), an agent
 * died or did not answer, a resource is taken. The message names the command or host and
 * carries what it printed.
 */
public class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
