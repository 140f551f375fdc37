package io.vcj.vc.agent;

import java.util.List;

/**
 * Sets up the guest for a sandbox.
 *
 * @param dns      resolv.conf lines
 * @param storages shared directories to mount before any container is created
 */
public record CreateSandboxRequest(String sandboxId, String hostname, List<String> dns, List<Storage> storages,
                                   boolean debug) {
    public CreateSandboxRequest {
        dns = List.copyOf(dns);
        storages = List.copyOf(storages);
    }
}
