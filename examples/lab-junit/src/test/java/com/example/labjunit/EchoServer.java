package com.example.labjunit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The program under test, server side: a line echo server on the wildcard address that tells
 * the client whom it saw. Prints {@code listening <port>} once it accepts connections.
 * Arguments: the port; {@code ipv4} to bind 0.0.0.0 instead of ::.
 */
public final class EchoServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String any = args.length > 1 && args[1].equals("ipv4") ? "0.0.0.0" : "::";
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(any), port));
            System.out.println("listening " + server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    out.println("echo " + in.readLine() + " from " + s.getInetAddress().getHostAddress());
                }
            }
        }
    }
}
