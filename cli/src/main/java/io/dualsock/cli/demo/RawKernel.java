package io.dualsock.cli.demo;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import io.dualsock.EncodedSockAddr;
import io.dualsock.SockAddr;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;
import io.dualsock.cli.demo.DemoReport.Failure;

/**
 * System calls straight through the shim, skipping {@link io.dualsock.NativeSocket}'s argument
 * checks, so that the demo can show what the kernel itself answers to a call dualsock refuses
 * (a {@code sockaddr_in6} given to an {@code AF_INET} socket). Each method opens its own
 * descriptor and always closes it.
 */
final class RawKernel {
    private RawKernel() {}

    /**
     * {@code socket(family, type, 0)}, then {@code connect(2)} to dst, or for {@code sendto}
     * an unconnected {@code sendto(2)} of payload; the kernel gets dst's bytes whatever the
     * socket's family. The shim passes the length that belongs to dst's own family.
     *
     * @return null when the call succeeded, else the kernel's errno
     */
    static Failure call(String call, int family, int type, SockAddr dst, byte[] payload) {
        Shim shim = Native.shim();
        byte[] sa = EncodedSockAddr.of(dst).toBytes();
        ByteBuffer saBuf = ByteBuffer.allocateDirect(sa.length).put(sa);
        ByteBuffer data = ByteBuffer.allocateDirect(Math.max(1, payload.length)).put(payload);
        int fd = shim.ds_socket(family, type, 0);
        if (fd < 0) return failure("socket", fd, null);
        try {
            long rc = switch (call) {
                case "connect" -> shim.ds_connect(fd, Native.address(saBuf));
                case "sendto" -> shim.ds_sendto(fd, Native.address(data), payload.length, 0, Native.address(saBuf));
                default -> throw new IllegalArgumentException("connect or sendto, not " + call);
            };
            return rc < 0 ? failure(call, rc, dst) : null;
        } finally {
            shim.ds_close(fd);
            Reference.reachabilityFence(saBuf);
            Reference.reachabilityFence(data);
        }
    }

    private static Failure failure(String call, long rc, SockAddr dst) {
        int errno = (int) -rc;
        String name = Errors.errnoName(errno);
        return new Failure(call, name, call + " failed: " + name + " (" + errno + "): " + Errors.strerror(errno)
                + (dst == null ? "" : " [to " + dst + "]"), false);
    }
}
