package io.dualsock.bindings;

/**
 * Which {@link Binding} this process uses, and why, decided once from the Java version and
 * {@value #PROPERTY}: FFM on Java 22+ unless {@code -Ddualsock.binding=jnr}; jnr-ffi on Java 17-21,
 * and whenever the FFM classes cannot be used (the reason then says what failed).
 *
 * <p>The FFM implementation is compiled for Java 22 into the same jar (class file version 66);
 * this class only names it, and loads it after checking the running Java, so Java 17-21 never
 * touch it.
 */
record BindingChoice(Binding binding, String reason) {
    /** {@code ffm} or {@code jnr}; unset picks by Java version. */
    public static final String PROPERTY = "dualsock.binding";
    static final String FFM = "ffm";
    /** The first Java whose FFM API is final (JEP 454). */
    static final int FFM_JAVA = 22;
    private static final String FFM_CLASS = "io.dualsock.bindings.FfmBinding";

    static BindingChoice decide() {
        String asked = System.getProperty(PROPERTY);
        int java = Runtime.version().feature();
        if (asked != null && !asked.equals(FFM) && !asked.equals(JnrBinding.NAME)) {
            throw new LibraryLoadException("dualsock: -D" + PROPERTY + "=" + asked
                    + " is not a binding; use " + FFM + " (Java " + FFM_JAVA + "+) or " + JnrBinding.NAME);
        }
        if (JnrBinding.NAME.equals(asked)) {
            return new BindingChoice(new JnrBinding(), "-D" + PROPERTY + "=" + JnrBinding.NAME);
        }
        String how = asked == null ? "default on Java " + FFM_JAVA + "+; -D" + PROPERTY + "=jnr for jnr-ffi"
                : "-D" + PROPERTY + "=" + FFM;
        if (java < FFM_JAVA) {
            return new BindingChoice(new JnrBinding(), "Java " + java + " has no final FFM API (" + FFM_JAVA
                    + "+)" + (asked == null ? "" : "; -D" + PROPERTY + "=" + FFM + " cannot apply"));
        }
        try {
            Binding ffm = (Binding) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
            return new BindingChoice(ffm, "Java " + java + " (" + how + ")");
        } catch (ClassNotFoundException e) {
            return new BindingChoice(new JnrBinding(), "this jar was built without the FFM binding"
                    + " (no JDK 22+ at build time), jnr-ffi instead");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new BindingChoice(new JnrBinding(), "FFM unusable on Java " + java + " (" + e + "), jnr-ffi instead");
        }
    }
}
