package io.dualsock.bindings;

/** Thrown (as the cause of nothing else) when no candidate copy of the shim could be loaded. */
final class LibraryLoadException extends UnsatisfiedLinkError {
    private static final long serialVersionUID = 1L;

    LibraryLoadException(String message) {
        super(message);
    }
}
