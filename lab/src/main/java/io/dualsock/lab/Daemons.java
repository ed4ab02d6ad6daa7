package io.dualsock.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * The agents' background threads (the lab's JDK side and the cli's peer agent): daemon threads,
 * so that an agent exits when its request loop ends, and one accept loop for their TCP servers.
 */
public final class Daemons {
    private Daemons() {}

    /** Runs {@code task} on a new daemon thread called {@code name}. */
    public static void start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Accepts on {@code server} until it is closed, and serves each connection on a daemon thread
     * of its own called {@code connectionThread}.
     */
    public static void acceptEach(ServerSocket server, String connectionThread, Consumer<Socket> serve) {
        while (true) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            start(connectionThread, () -> serve.accept(c));
        }
    }
}
