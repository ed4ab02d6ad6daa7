package io.dualsock;

import io.dualsock.bindings.Constants;

/** A flag of the C API named by its C macro ({@code AI_V4MAPPED}), with this platform's value. */
public interface CFlag {
    /** The C name, {@code AI_V4MAPPED}. */
    String cName();

    /** Whether this platform's headers define it. */
    default boolean isDefined() {
        return Constants.find(cName()).isPresent();
    }

    /**
     * The platform bit.
     *
     * @throws UnsupportedOperationException when this platform's headers do not define it
     */
    default int value() {
        return Constants.defined(cName());
    }
}
