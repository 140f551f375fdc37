package io.vcj.vc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A handle on a sandbox; every read reflects its current recorded state. */
public interface VCSandbox {

    String id();

    SandboxStatus status();

    State state();

    Map<String, String> annotations();

    Optional<String> annotation(String key);

    /** Adds or replaces the given annotations. */
    void setAnnotations(Map<String, String> annotations);

    List<VCContainer> containers();

    /** NotFound if the sandbox has no such container. */
    VCContainer container(String containerId);
}
