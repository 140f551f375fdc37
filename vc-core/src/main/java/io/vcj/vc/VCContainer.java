package io.vcj.vc;

import java.util.Map;

/** A handle on a container; every read reflects its current recorded state. */
public interface VCContainer {

    String id();

    VCSandbox sandbox();

    ContainerStatus status();

    State state();

    Map<String, String> annotations();

    /** Its init process (token = the container id). */
    Process process();

    default long pid() {
        return process().pid();
    }

    default String token() {
        return process().token();
    }
}
