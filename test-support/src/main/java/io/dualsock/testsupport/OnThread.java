package io.dualsock.testsupport;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A call running on a daemon thread of its own, for tests that block one thread in a call and
 * act on it from another: what the call returns or throws completes {@link #result}.
 */
public record OnThread<T>(Thread thread, CompletableFuture<T> result) {

    /** Starts {@code call} on a new daemon thread named {@code name}. */
    public static <T> OnThread<T> start(String name, Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return new OnThread<>(t, result);
    }
}
