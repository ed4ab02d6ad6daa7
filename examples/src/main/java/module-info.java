/** The example as a named module: on the module path it reads dualsock as the module io.dualsock. */
module io.dualsock.example {
    requires io.dualsock;
}
