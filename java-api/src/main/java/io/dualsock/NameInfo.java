package io.dualsock;

/** What {@code getnameinfo(3)} wrote: host and service text. */
public record NameInfo(String host, String service) {}
