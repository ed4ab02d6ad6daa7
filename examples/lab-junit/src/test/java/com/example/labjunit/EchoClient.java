package com.example.labjunit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The program under test, client side: resolves the server's name the way Java code does
 * ({@code new InetSocketAddress(name, port)}, the first address), sends one line and prints
 * the reply and the address it connected to, or (exit status 2) the address it failed to reach
 * and why. Arguments: name, port, line.
 */
public final class EchoClient {
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        try (Socket s = new Socket()) {
            try {
                s.connect(server, 5000);
            } catch (IOException e) {
                System.out.println("failed to reach " + server.getAddress().getHostAddress() + ": " + e);
                System.exit(2);
            }
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println(args[2]);
            System.out.println(in.readLine());
            System.out.println("connected to " + s.getInetAddress().getHostAddress());
        }
    }
}
