package io.vcj.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.it.Await;
import io.vcj.it.HostRequirements;
import io.vcj.it.cri.CriContainerd;
import io.vcj.it.cri.CriPod;
import io.vcj.it.cri.CriPods;
import io.vcj.it.cri.proto.NamespaceMode;
import io.vcj.it.vm.GuestImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's path to a pod network: containerd's CRI plugin makes the pod's network namespace
 * and runs CNI (a bridge of the test's own in CRI's private conf_dir) before the sandbox is
 * created, so the shim gets a spec naming that namespace and the VM's NIC is plugged at boot.
 */
class CriPodNetworkIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final int HTTP_PORT = 8080;

  private CriContainerd cri;
  private CniBridge network;

  @BeforeEach
  void criWithAPodNetwork() throws Exception {
    HostRequirements.assumeRootWithContainerd();
    Path busybox = HostRequirements.assumeStaticBusybox();
    CniBridge.assumePluginsInstalled();
    cri = CriContainerd.start(GuestImage.get(), busybox);
    network = CniBridge.create(cri.containerd().dir(), cri.cniConfDir());
  }

  @AfterEach
  void closeCri() throws Exception {
    try {
      if (cri != null) {
        cri.close();
      }
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  @Test
  void aPodOnThePodNetworkHasItsAddressServesTheHostAndLeavesNothingWhenRemoved() throws Exception {
    String token = UUID.randomUUID().toString();
    CriPod pod = CriPod.run(cri.cri(), CriPods.pod("web", NamespaceMode.POD).build());
    String web = pod.start(CriPods.container(pod.config(), "web", "/bin/sh", "-c", "mkdir -p /www && printf "
        + token + " > /www/index.html && exec busybox httpd -f -p " + HTTP_PORT + " -h /www").build());
    String address = network.leasedAddress(pod.id());

    assertTrue(pod.exec(web, "busybox", "ip", "-o", "-4", "addr", "show", "dev", "eth0")
        .contains("inet " + address + "/24"));
    assertTrue(pod.exec(web, "busybox", "ip", "route").contains("default via " + network.gateway() + " dev eth0"));
    Await.until(PATIENCE, () -> {
      try {
        return token.equals(PodHttp.get(address, HTTP_PORT, "/index.html"));
      } catch (IOException httpdNotUpYet) {
        return false;
      }
    });
    assertEquals(token, PodHttp.get(address, HTTP_PORT, "/index.html"));

    pod.stopAndRemove();

    Await.until(PATIENCE, () -> network.ports().isEmpty());
    assertEquals(List.of(), network.ports(), "the pod's veth outlived its removal");
  }
}
