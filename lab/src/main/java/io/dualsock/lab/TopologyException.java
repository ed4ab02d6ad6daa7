package io.dualsock.lab;

/** A topology file or builder call that cannot describe a lab; the message names the field. */
public class TopologyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
