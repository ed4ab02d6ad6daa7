package com.example.labjunit;

import static io.dualsock.lab.LabAssertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.lab.ExecResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.JavaProgram;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.LabProcess;
import io.dualsock.lab.Stack;
import io.dualsock.lab.Traffic;

/**
 * Our own server and client, each a JVM in its own lab host: which IP version does a Java
 * client use to reach a dual-stack server, and what did the server see?
 */
class OwnProgramsLabTest {
    private static final int PORT = 9000;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder()
            .host("srv", Stack.DUAL)            // srv.ds.test: A and AAAA records
            .host("dual", Stack.DUAL)
            .host("v6", Stack.IPV6_ONLY)
            .host("v4", Stack.IPV4_ONLY));

    private static LabProcess server;

    @BeforeAll
    static void startServer() {
        server = LAB.lab().host("srv").start(JavaProgram.of(EchoServer.class.getName(), String.valueOf(PORT)));
        // its first line says it listens: no sleeping, no retrying
        server.awaitOutput(Pattern.compile("^listening " + PORT + "$"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.stop();   // the lab would stop it too, when it closes
    }

    /** An address literal as Java prints it ({@code 2001:db8:0:0:0:0:0:102}); a literal is never looked up. */
    private static String javaText(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal).getHostAddress();
    }

    /** Runs the client in a host; it must get its echo. */
    private static ExecResult client(Lab lab, String host, String line, String... jvmOptions) {
        ExecResult r = lab.host(host).runJava(Duration.ofSeconds(60),
                JavaProgram.of(EchoClient.class.getName(), "srv.ds.test", String.valueOf(PORT), line).jvmOptions(jvmOptions));
        assertThat(r).succeeded().stdoutContains("echo " + line);
        return r;
    }

    @Test
    void anIpv6OnlyJavaClientTriesTheIpv4AddressFirstUnlessTold(Lab lab) throws Exception {
        Traffic srv = Traffic.watch(lab.host("srv"));
        // Java puts IPv4 addresses first (java.net.preferIPv6Addresses=false): on an IPv6-only host
        // the A record's address has no route, and Java code keeps only the first address
        ExecResult r = lab.host("v6").runJava(Duration.ofSeconds(60),
                JavaProgram.of(EchoClient.class.getName(), "srv.ds.test", String.valueOf(PORT), "hello"));
        assertThat(r).exitedWith(2).stdoutContains("failed to reach " + lab.host("srv").ipv4().orElseThrow());
        assertThat(srv).receivedNothing();

        Traffic again = Traffic.watch(lab.host("srv"));
        assertThat(client(lab, "v6", "hello", "-Djava.net.preferIPv6Addresses=true"))
                .stdoutContains("from " + javaText(lab.host("v6").ipv6().orElseThrow()));
        assertThat(again).wentOver(Family.IPV6).receivedNo(Family.IPV4);
    }

    @Test
    void anIpv4OnlyClientReachesTheIpv6ServerOverIpv4(Lab lab) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        // the server's AF_INET6 socket got a mapped peer; Java shows it as the IPv4 address
        assertThat(client(lab, "v4", "hello")).stdoutContains("from " + lab.host("v4").ipv4().orElseThrow());
        assertThat(srv).wentOver(Family.IPV4).receivedNo(Family.IPV6);
    }

    @Test
    void aDualStackJavaClientPrefersIpv4UnlessTold(Lab lab) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        client(lab, "dual", "default");
        assertThat(srv).wentOver(Family.IPV4);

        Traffic again = Traffic.watch(lab.host("srv"));
        client(lab, "dual", "preferring", "-Djava.net.preferIPv6Addresses=true");
        assertThat(again).wentOver(Family.IPV6).receivedNo(Family.IPV4);
    }
}
