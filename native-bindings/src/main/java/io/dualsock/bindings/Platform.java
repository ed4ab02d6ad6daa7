package io.dualsock.bindings;

/**
 * Typed views of the platform constants that Java code uses by name; every value comes from
 * {@link Constants} (the C headers), read when this class initialises.
 */
public final class Platform {
    private Platform() {}

    public static final int AF_UNSPEC = Constants.i("AF_UNSPEC");
    public static final int AF_INET = Constants.i("AF_INET");
    public static final int AF_INET6 = Constants.i("AF_INET6");

    public static final int SOCK_STREAM = Constants.i("SOCK_STREAM");
    public static final int SOCK_DGRAM = Constants.i("SOCK_DGRAM");
    public static final int SOCK_RAW = Constants.i("SOCK_RAW");

    public static final int SIZEOF_SA_FAMILY = Constants.i("sizeof(sa_family_t)");
    public static final int SIZEOF_SOCKADDR_STORAGE = Constants.i("sizeof(struct sockaddr_storage)");
    public static final int SIZEOF_SOCKADDR_IN = Constants.i("sizeof(struct sockaddr_in)");
    public static final int SIN_FAMILY = Constants.i("offsetof(struct sockaddr_in,sin_family)");
    public static final int SIN_PORT = Constants.i("offsetof(struct sockaddr_in,sin_port)");
    public static final int SIN_ADDR = Constants.i("offsetof(struct sockaddr_in,sin_addr)");
    public static final int SIZEOF_SOCKADDR_IN6 = Constants.i("sizeof(struct sockaddr_in6)");
    public static final int SIN6_FAMILY = Constants.i("offsetof(struct sockaddr_in6,sin6_family)");
    public static final int SIN6_PORT = Constants.i("offsetof(struct sockaddr_in6,sin6_port)");
    public static final int SIN6_FLOWINFO = Constants.i("offsetof(struct sockaddr_in6,sin6_flowinfo)");
    public static final int SIN6_ADDR = Constants.i("offsetof(struct sockaddr_in6,sin6_addr)");
    public static final int SIN6_SCOPE_ID = Constants.i("offsetof(struct sockaddr_in6,sin6_scope_id)");

    public static final int GAI_HEADER_SIZE = Constants.i("DS_GAI_HEADER_SIZE");
    public static final int GAI_ENTRY_FIXED = Constants.i("DS_GAI_ENTRY_FIXED");
    public static final int HOLDER_SIZE = Constants.i("DS_HOLDER_SIZE");
    public static final int HOLDER_LEN_OFFSET = Constants.i("DS_HOLDER_LEN_OFFSET");
    public static final int NI_HOST_OFFSET = Constants.i("DS_NI_HOST_OFFSET");
    public static final int NI_SERV_OFFSET = Constants.i("DS_NI_SERV_OFFSET");
    public static final int NI_OUT_SIZE = Constants.i("DS_NI_OUT_SIZE");
    public static final int NI_MAXHOST = Constants.i("NI_MAXHOST");
    public static final int EAI_SYSTEM = Constants.i("EAI_SYSTEM");
    /** errno EINVAL: ds_getnameinfo returns -EINVAL, which no EAI_* code equals, for arguments it refuses. */
    public static final int EINVAL = Constants.i("EINVAL");
}
