package io.vcj.vc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The handles {@link VirtContainers} hands out: thin views that ask it for the current state. */
final class Handles {

    private Handles() {
    }

    record Sandbox(VirtContainers vc, String id) implements VCSandbox {
        @Override
        public SandboxStatus status() {
            return vc.statusSandbox(id);
        }

        @Override
        public State state() {
            return status().state();
        }

        @Override
        public Map<String, String> annotations() {
            return status().annotations();
        }

        @Override
        public Optional<String> annotation(String key) {
            return Optional.ofNullable(annotations().get(key));
        }

        @Override
        public void setAnnotations(Map<String, String> annotations) {
            vc.setSandboxAnnotations(id, annotations);
        }

        @Override
        public List<VCContainer> containers() {
            return status().containers().stream().map(c -> (VCContainer) new Container(vc, id, c.id())).toList();
        }

        @Override
        public VCContainer container(String containerId) {
            vc.statusContainer(id, containerId);
            return new Container(vc, id, containerId);
        }
    }

    record Container(VirtContainers vc, String sandboxId, String id) implements VCContainer {
        @Override
        public VCSandbox sandbox() {
            return new Sandbox(vc, sandboxId);
        }

        @Override
        public ContainerStatus status() {
            return vc.statusContainer(sandboxId, id);
        }

        @Override
        public State state() {
            return status().state();
        }

        @Override
        public Map<String, String> annotations() {
            return status().annotations();
        }

        @Override
        public Process process() {
            ContainerStatus status = status();
            return new Process(id, status.pid(), status.startTime());
        }
    }
}
