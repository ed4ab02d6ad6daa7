package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;

/**
 * The real {@link RaceEnv}: getaddrinfo on helper threads (a lookup never blocks the caller),
 * non-blocking {@code connect(2)}s, and one {@code poll(2)} on the calling thread over every
 * attempt in flight plus an eventfd that the resolver threads and a {@link Connector.Cancel}
 * write to. Closing it closes every socket not handed out and the eventfd.
 */
final class PollRace implements RaceEnv, AutoCloseable {
    private static final Shim SHIM = Native.shim();
    private static final int SOCK_NONBLOCK = Constants.i("SOCK_NONBLOCK");
    /** A poll never sleeps longer, so that an interrupt is seen within this many ms. */
    static final int INTERRUPT_CHECK_MS = 50;
    private static final ExecutorService RESOLVERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dualsock-connect-resolver");
        t.setDaemon(true);
        return t;
    });

    static {
        // Load what a race's first result needs now, so that a cold JVM's class loading is not
        // timed as connect time in the trace: option decoding, errno names, the failure path.
        SocketOptions.SolSocket.SO_ERROR.name();
        Errors.errnoName(1);
        NativeSocketException.class.getName();
    }

    private final String host;
    private final int port;
    private final Connector.Lookup lookup;
    private final Connector.Cancel cancel;
    private final Nat64Synthesis.HostCheck hostCheck;
    private final Descriptor wake;
    private final ConcurrentLinkedQueue<Event> posted = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Event> local = new ArrayDeque<>();
    private final Map<Integer, NativeSocket> open = new LinkedHashMap<>();
    private final Set<Integer> pending = new LinkedHashSet<>();
    private final int[] ids = new int[1024];
    private ByteBuffer pollMem;
    private long pollAddr;
    private volatile boolean closed;

    PollRace(String host, int port, Connector.Lookup lookup, Connector.Cancel cancel, Nat64Synthesis.HostCheck hostCheck)
            throws NativeSocketException {
        this.hostCheck = hostCheck;
        this.host = host;
        this.port = port;
        this.lookup = lookup;
        this.cancel = cancel;
        int fd = SHIM.ds_eventfd();
        if (fd < 0) throw NativeSocketException.of("eventfd", fd);
        this.wake = new Descriptor(fd);
        growPollMemory(8);
        if (cancel != null) cancel.attach(() -> post(new Cancelled("ECANCELED: cancelled")));
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void resolve(int family) {
        RESOLVERS.execute(() -> {
            Event e;
            try {
                e = new Resolved(family, lookup.lookup(host, port, family), null);
            } catch (ResolverException x) {
                e = new Resolved(family, List.of(), x.codeName());
            } catch (RuntimeException x) {
                e = new Resolved(family, List.of(), x.toString());
            }
            if (!closed) post(e);
        });
    }

    @Override
    public void nat64(ConnectOptions.Nat64Source source) {
        RESOLVERS.execute(() -> {
            Event e = Nat64Synthesis.find(host, port, source, lookup, hostCheck);
            if (!closed) post(e);
        });
    }

    /** From any thread: queue e and wake the poll; nothing once the race is closed. */
    private void post(Event e) {
        posted.add(e);
        try {
            wake.call(this, Syscall.EVENTFD_SIGNAL);
        } catch (NativeSocketException closedAlready) {
            // the connect is over; nobody waits for this event
        }
    }

    @Override
    public void start(int id, SockAddr to) {
        NativeSocket s;
        try {
            s = NativeSocket.open(to.family(), NativeSocket.SOCK_STREAM | SOCK_NONBLOCK);
        } catch (NativeSocketException x) {
            local.add(new Done(id, x.errnoName()));
            return;
        }
        open.put(id, s);
        try {
            s.connect(to);
            local.add(new Done(id, null));
        } catch (NativeSocketException x) {
            if ("EINPROGRESS".equals(x.errnoName())) pending.add(id);
            else local.add(new Done(id, x.errnoName()));
        }
    }

    @Override
    public Event await(long deadlineNanos) throws NativeSocketException {
        for (;;) {
            Event e = local.poll();
            if (e == null) e = posted.poll();
            if (e != null) return e;
            if (Thread.currentThread().isInterrupted()) return new Cancelled("interrupted");
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return null;
            int waitMs = (int) Math.min(INTERRUPT_CHECK_MS, (left + 999_999) / 1_000_000);
            pollOnce(waitMs);
        }
    }

    /** One poll over the eventfd and the pending attempts; results go to {@link #local}. */
    private void pollOnce(int waitMs) throws NativeSocketException {
        int n = 1 + pending.size();
        if (n > ids.length) throw new IllegalStateException("more than " + (ids.length - 1) + " attempts in flight");
        if (pollMem.capacity() < n * 12) growPollMemory(n);
        pollMem.putInt(0, wake.fd);
        pollMem.putInt(4 * n, NativeSocket.POLLIN);
        int k = 1;
        for (int id : pending) {
            ids[k] = id;
            pollMem.putInt(4 * k, open.get(id).fd());
            pollMem.putInt(4 * (n + k), NativeSocket.POLLOUT);
            k++;
        }
        int rc = SHIM.ds_poll_many(pollAddr, pollAddr + 4L * n, pollAddr + 8L * n, n, waitMs);
        if (rc < 0) throw NativeSocketException.of("poll", rc);
        if (pollMem.getInt(8 * n) != 0) wake.call(this, Syscall.EVENTFD_DRAIN);
        for (k = 1; k < n; k++) {
            int revents = pollMem.getInt(4 * (2 * n + k));
            if (revents == 0) continue;
            int id = ids[k];
            pending.remove(id);
            int err = open.get(id).getOption(SocketOptions.SolSocket.SO_ERROR);
            boolean connected = err == 0 && (revents & NativeSocket.POLLOUT) != 0;
            local.add(new Done(id, connected ? null : err != 0 ? Errors.errnoName(err) : "POLLHUP"));
        }
    }

    private void growPollMemory(int n) {
        pollMem = ByteBuffer.allocateDirect(Math.max(n, 8) * 12 * 2).order(ByteOrder.nativeOrder());
        pollAddr = Native.address(pollMem);
    }

    @Override
    public void abandon(int id) {
        pending.remove(id);
        NativeSocket s = open.remove(id);
        if (s != null) s.close();
    }

    @Override
    public NativeSocket take(int id) throws NativeSocketException {
        pending.remove(id);
        NativeSocket s = open.remove(id);
        try {
            s.setBlocking(true);
        } catch (NativeSocketException | RuntimeException x) {
            s.close();
            throw x;
        }
        return s;
    }

    /** Closes every socket not taken, and the eventfd; later resolver answers are dropped. */
    @Override
    public void close() {
        closed = true;
        if (cancel != null) cancel.detach();
        for (NativeSocket s : open.values()) s.close();
        open.clear();
        pending.clear();
        wake.close();
    }
}
