package io.vcj.vc.hypervisor;

/**
 * Where a hot-plugged device appears inside the guest, e.g. a PCI path ({@code 02/00}) the agent
 * resolves to {@code /dev/vdX}.
 */
public record HotplugResult(String guestAddress) {
}
