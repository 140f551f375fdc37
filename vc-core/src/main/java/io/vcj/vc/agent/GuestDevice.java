package io.vcj.vc.agent;

/**
 * A hot-plugged device the agent must expose in a container.
 *
 * @param type          {@code blk} for virtio-blk
 * @param guestAddress  where the hypervisor put it (e.g. a PCI path), from its hot-plug result
 * @param containerPath the device node path inside the container
 */
public record GuestDevice(String type, String guestAddress, String containerPath) {
}
