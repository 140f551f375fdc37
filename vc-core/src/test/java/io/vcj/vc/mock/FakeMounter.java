package io.vcj.vc.mock;

import io.vcj.vc.config.Mount;
import io.vcj.vc.host.HostMounter;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers what would be mounted where, instead of mounting (tests do not run as root). */
public final class FakeMounter implements HostMounter {
    /** Mount point to what is mounted there. */
    public final Map<Path, String> mounted = new ConcurrentHashMap<>();

    @Override
    public void bind(Path source, Path target, boolean readOnly) {
        mounted.put(target, source.toString());
    }

    @Override
    public void mount(Mount mount, Path target) {
        mounted.put(target, mount.type() + ":" + mount.source());
    }

    @Override
    public void unmount(Path target) {
        mounted.remove(target);
    }

    @Override
    public List<Path> mountsUnder(Path dir) {
        return mounted.keySet().stream().filter(p -> p.startsWith(dir))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    }
}
