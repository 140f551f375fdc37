package io.vcj.vc.host;

import io.vcj.vc.config.Mount;

import java.nio.file.Path;
import java.util.List;

/** Mounts on the host, to put container filesystems into the directory shared with the VM. */
public interface HostMounter {

    /** Bind-mounts {@code source} (a directory or file, with its submounts) onto the existing {@code target}. */
    void bind(Path source, Path target, boolean readOnly);

    /** Mounts one entry of a containerd rootfs mount list onto {@code target}. */
    void mount(Mount mount, Path target);

    /** Unmounts the top mount at {@code target} (with its submounts), detaching it if busy. */
    void unmount(Path target);

    /** Mount points at or below {@code dir}, deepest first. */
    List<Path> mountsUnder(Path dir);
}
