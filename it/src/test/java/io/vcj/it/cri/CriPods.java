package io.vcj.it.cri;

import io.vcj.it.cri.proto.ContainerConfig;
import io.vcj.it.cri.proto.ContainerMetadata;
import io.vcj.it.cri.proto.ImageSpec;
import io.vcj.it.cri.proto.LinuxContainerConfig;
import io.vcj.it.cri.proto.LinuxContainerSecurityContext;
import io.vcj.it.cri.proto.LinuxPodSandboxConfig;
import io.vcj.it.cri.proto.LinuxSandboxSecurityContext;
import io.vcj.it.cri.proto.Mount;
import io.vcj.it.cri.proto.NamespaceMode;
import io.vcj.it.cri.proto.NamespaceOption;
import io.vcj.it.cri.proto.PodSandboxConfig;
import io.vcj.it.cri.proto.PodSandboxMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Pod and container configs as the kubelet writes them for a plain v1 Pod, reduced to what vcj sees. */
public final class CriPods {

  private CriPods() {
  }

  /** A pod in the node's network namespace (hostNetwork: true), which needs no CNI. */
  public static PodSandboxConfig.Builder hostNetworkPod(String name) {
    return pod(name, NamespaceMode.NODE);
  }

  /** @param network POD for a pod network from CNI, NODE for the node's */
  public static PodSandboxConfig.Builder pod(String name, NamespaceMode network) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("vcj-it")
            .setUid(UUID.randomUUID().toString()))
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
            LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(network))));
  }

  /** A container of {@code pod} running {@code command} from the test image. */
  public static ContainerConfig.Builder container(PodSandboxConfig pod, String name, String... command) {
    NamespaceMode network = pod.getLinux().getSecurityContext().getNamespaceOptions().getNetwork();
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(CriContainerd.IMAGE))
        .addAllCommand(List.of(command))
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(
            LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces(network))));
  }

  /** A hostPath volume. */
  public static Mount hostPath(Path hostPath, String containerPath) {
    return Mount.newBuilder().setHostPath(hostPath.toString()).setContainerPath(containerPath).build();
  }

  // As the kubelet sets them: a pid namespace per container, ipc shared in the pod.
  private static NamespaceOption namespaces(NamespaceMode network) {
    return NamespaceOption.newBuilder().setNetwork(network).setPid(NamespaceMode.CONTAINER)
        .setIpc(NamespaceMode.POD).build();
  }
}
