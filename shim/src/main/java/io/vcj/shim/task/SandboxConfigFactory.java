package io.vcj.shim.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcj.vc.config.SandboxConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the config of the VM for a new pod, from the shim's own configuration (kernel, image, VM
 * size...) and what containerd hands over. The task service adds the pod's first container to it.
 */
@FunctionalInterface
public interface SandboxConfigFactory {

    /**
     * @param sandboxId   the pod's id: the CRI sandbox id, or the container id for a plain container
     * @param bundle      the first container's bundle directory
     * @param spec        its OCI spec (config.json); the factory may read but must not keep it
     * @param annotations the spec's annotations
     * @return a config without containers
     */
    SandboxConfig create(String sandboxId, Path bundle, ObjectNode spec, Map<String, String> annotations);
}
