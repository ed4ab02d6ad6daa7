package io.dualsock.cli.matrix;

/** What a cell of Figure 12.5 says: the connection works over IPv4 or IPv6, or it does not. */
public enum Outcome {
    IPV4("IPv4"), IPV6("IPv6"), NO("(no)");

    private final String text;

    Outcome(String text) {
        this.text = text;
    }

    /** "IPv4", "IPv6", "(no)". */
    public String text() { return text; }
}
