/**
 * {@code virtc}, the example command line of virtcontainers (the Java counterpart of Kata's Go
 * {@code virtc}), launched by {@code scripts/virtc}.
 *
 * <pre>
 * scripts/virtc check                                   # what this host lacks, exit 1 if essential
 * scripts/virtc sandbox run --id demo --rootfs /srv/busybox -- echo hello     # prints hello, exit 0
 * scripts/virtc sandbox create --id pod                 # boots the VM, then exits: the VM stays
 * scripts/virtc sandbox start --id pod
 * scripts/virtc container create --sandbox-id pod --id web --rootfs /srv/busybox -- httpd -f
 * scripts/virtc container start --sandbox-id pod --id web --detach
 * scripts/virtc container exec --sandbox-id pod --id web -- ps
 * tar c . | scripts/virtc container exec --sandbox-id pod --id web --interactive -- tar x -C /srv
 * scripts/virtc --json sandbox list
 * scripts/virtc sandbox stop --id pod &amp;&amp; scripts/virtc sandbox delete --id pod
 * </pre>
 *
 * <p>Every invocation is a process of its own: it finds sandboxes through vc-core's state under
 * {@code --root} and reconnects to their VMs and agents. VM defaults come from {@code --config}
 * (the shim's configuration.toml) or from {@code scripts/build-guest}'s cache; options override
 * both. A process's exit is recorded by the invocation that waits for it ({@code container start}
 * or {@code exec} without {@code --detach}, {@code container stop}, {@code sandbox stop}); until
 * then another invocation still sees it running. The kata agent protocol has no process list, so
 * {@code container ps} reports that.
 */
package io.vcj.virtc;
