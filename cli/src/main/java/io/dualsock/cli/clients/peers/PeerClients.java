package io.dualsock.cli.clients.peers;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One connect by one peer implementation, called as an application calls it, with nothing
 * changed but the time limits: {@code java.net.Socket} ({@code new InetSocketAddress(name,
 * port)}, {@code connect(address, limit)}, then the lab's echo exchange), the JDK
 * {@code HttpClient} ({@code connectTimeout} = the limit, a GET), OkHttp 5 (fast fallback on, its
 * default; connect and call timeouts = the limit; an {@code EventListener} only records each
 * {@code connectStart}/{@code connectEnd}/{@code connectFailed}), Netty ({@code Bootstrap.connect(host,
 * port)}, NIO, {@code CONNECT_TIMEOUT_MILLIS} = the limit; an outbound handler only records the
 * address the channel is asked to connect to; then the echo exchange).
 */
final class PeerClients {
    private PeerClients() {}

    /** What a client tells of its own attempts. */
    private static final class Record {
        final long t0 = System.nanoTime();
        final List<String> tried = new ArrayList<>();
        Double connectedMs;
        boolean counted;

        double now() {
            return (System.nanoTime() - t0) / 1e6;
        }

        synchronized void tried(SocketAddress a) {
            tried.add(a instanceof InetSocketAddress i && i.getAddress() != null ? text(i.getAddress()) : String.valueOf(a));
        }

        synchronized void connected() {
            if (connectedMs == null) connectedMs = now();
        }
    }

    static void connect(JsonNode req, ObjectNode reply) {
        String client = req.path("client").asText();
        String name = req.path("name").asText();
        int port = req.path("port").asInt();
        long limit = req.path("timeoutMs").asLong(2000);
        String token = req.path("token").asText();
        reply.put("client", client);
        Record r = new Record();
        try {
            switch (client) {
                case "socket" -> socket(name, port, limit, token, r, reply);
                case "httpclient" -> httpClient(name, port, limit, token, r, reply);
                case "okhttp" -> okHttp(name, port, limit, token, r, reply);
                case "netty" -> netty(name, port, limit, token, r, reply);
                default -> throw new IllegalArgumentException("unknown client \"" + client + "\"");
            }
            if (!reply.has("outcome")) reply.put("outcome", "ok");
        } catch (Exception e) {
            reply.put("outcome", outcome(e));
            reply.put("detail", e.toString() + (e.getCause() != null && e.getCause() != e ? " (" + e.getCause() + ")" : ""));
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        reply.put("connectedMs", r.connectedMs != null ? r.connectedMs : r.now());
        reply.put("totalMs", r.now());
        ArrayNode tried = reply.putArray("tried");
        synchronized (r) {
            r.tried.forEach(tried::add);
            if (r.counted) reply.put("attempts", r.tried.size());
        }
    }

    /** {@code inet_ntop}'s text ({@code 2001:db8::62}), not the JDK's uncompressed {@code 2001:db8:0:0:0:0:0:62}. */
    static String text(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int best = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static byte[] payload(String token) {
        return ("dualsock-lab " + token + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void peer(ObjectNode reply, InetAddress a, SocketAddress whole) {
        reply.put("peer", String.valueOf(whole));
        reply.put("family", a instanceof Inet6Address ? "ipv6" : "ipv4");
    }

    private static void checkBody(ObjectNode reply, byte[] expected, byte[] got) {
        if (!Arrays.equals(expected, got)) {
            reply.put("outcome", "BADREPLY");
            reply.put("detail", "expected " + new String(expected, StandardCharsets.UTF_8).strip() + ", got "
                    + new String(got, StandardCharsets.UTF_8).strip());
        }
    }

    // ------------------------------------------------------------------ java.net.Socket

    private static void socket(String name, int port, long limit, String token, Record r, ObjectNode reply) throws IOException {
        try (Socket s = new Socket()) {
            InetSocketAddress dst = new InetSocketAddress(name, port);
            r.counted = true;
            if (dst.isUnresolved()) throw new UnknownHostException(name);
            r.tried(dst);
            s.connect(dst, (int) limit);
            r.connected();
            peer(reply, s.getInetAddress(), s.getRemoteSocketAddress());
            s.setSoTimeout((int) limit);
            s.getOutputStream().write(payload(token));
            InputStream in = s.getInputStream();
            checkBody(reply, payload(token), in.readAllBytes());
        }
    }

    // ------------------------------------------------------------------ JDK HttpClient

    private static void httpClient(String name, int port, long limit, String token, Record r, ObjectNode reply)
            throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(limit))
                .build();
        HttpRequest q = HttpRequest.newBuilder(URI.create("http://" + name + ":" + port + "/" + token))
                .timeout(Duration.ofMillis(limit)).GET().build();
        HttpResponse<byte[]> resp = c.send(q, HttpResponse.BodyHandlers.ofByteArray());
        // HttpClient tells neither its attempts nor when it connected: the time is the response's
        r.connected();
        reply.put("connectedIs", "response");
        if (resp.statusCode() != 200) {
            reply.put("outcome", "HTTP_" + resp.statusCode());
            return;
        }
        checkBody(reply, payload(token), resp.body());
    }

    // ------------------------------------------------------------------ OkHttp 5

    private static void okHttp(String name, int port, long limit, String token, Record r, ObjectNode reply) throws IOException {
        List<String> events = new ArrayList<>();
        EventListener listener = new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress a, Proxy proxy) {
                r.tried(a);
                synchronized (events) {
                    events.add(String.format(Locale.ROOT, "%.1f start %s", r.now(), text(a.getAddress())));
                }
            }

            @Override
            public void connectEnd(Call call, InetSocketAddress a, Proxy proxy, Protocol protocol) {
                r.connected();
                synchronized (events) {
                    events.add(String.format(Locale.ROOT, "%.1f connected %s", r.now(), text(a.getAddress())));
                }
            }

            @Override
            public void connectFailed(Call call, InetSocketAddress a, Proxy proxy, Protocol protocol, IOException e) {
                synchronized (events) {
                    events.add(String.format(Locale.ROOT, "%.1f failed %s: %s", r.now(), text(a.getAddress()), e));
                }
            }
        };
        OkHttpClient c = new OkHttpClient.Builder().fastFallback(true)
                .connectTimeout(limit, TimeUnit.MILLISECONDS).callTimeout(limit, TimeUnit.MILLISECONDS)
                .eventListener(listener).build();
        r.counted = true;
        try (Response resp = c.newCall(new Request.Builder().url("http://" + name + ":" + port + "/" + token).build()).execute()) {
            byte[] body = resp.body().bytes();
            if (resp.code() != 200) reply.put("outcome", "HTTP_" + resp.code());
            else checkBody(reply, payload(token), body);
        } finally {
            synchronized (events) {
                ArrayNode ev = reply.putArray("events");
                events.forEach(ev::add);
            }
            c.dispatcher().executorService().shutdown();
            c.connectionPool().evictAll();
        }
    }

    // ------------------------------------------------------------------ Netty 4.2

    private static void netty(String name, int port, long limit, String token, Record r, ObjectNode reply) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<byte[]> echo = new CompletableFuture<>();
        try {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limit)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                                @Override
                                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                                    ChannelPromise promise) throws Exception {
                                    r.tried(remote);
                                    super.connect(ctx, remote, local, promise);
                                }
                            }, new ChannelInboundHandlerAdapter() {
                                private final ByteBuf got = Unpooled.buffer();

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf m = (ByteBuf) msg;
                                    got.writeBytes(m);
                                    m.release();
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    byte[] all = new byte[got.readableBytes()];
                                    got.readBytes(all);
                                    got.release();
                                    echo.complete(all);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    echo.completeExceptionally(cause);
                                    ctx.close();
                                }
                            });
                        }
                    });
            r.counted = true;
            ChannelFuture f = b.connect(name, port);
            if (!f.await(limit * 2 + 1000)) throw new SocketTimeoutException("Netty's connect future did not complete");
            if (!f.isSuccess()) {
                Throwable t = f.cause();
                throw t instanceof Exception e ? e : new IOException(t);
            }
            r.connected();
            Channel ch = f.channel();
            InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
            peer(reply, remote.getAddress(), remote);
            ch.writeAndFlush(Unpooled.wrappedBuffer(payload(token)));
            try {
                checkBody(reply, payload(token), echo.get(limit, TimeUnit.MILLISECONDS));
            } finally {
                ch.close().await(limit);
            }
        } finally {
            group.shutdownGracefully(0, limit, TimeUnit.MILLISECONDS).await(limit);
        }
    }

    // ------------------------------------------------------------------ outcomes

    /** TIMEOUT, the errno name behind a JDK exception's message, UNKNOWN_HOST, or the exception's class. */
    static String outcome(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof ConnectTimeoutException || t instanceof java.io.InterruptedIOException && isTimeout(t)) {
                return "TIMEOUT";
            }
            if (t instanceof UnknownHostException) return "UNKNOWN_HOST";
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("connection refused")) return "ECONNREFUSED";
            if (m.contains("no route to host")) return "EHOSTUNREACH";
            if (m.contains("network is unreachable")) return "ENETUNREACH";
            if (m.contains("timed out")) return "TIMEOUT";
            if (t instanceof NoRouteToHostException) return "EHOSTUNREACH";
            if (t instanceof ConnectException && t.getCause() == null) return "ConnectException";
        }
        return e.getClass().getSimpleName();
    }

    private static boolean isTimeout(Throwable t) {
        return String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout");
    }
}
