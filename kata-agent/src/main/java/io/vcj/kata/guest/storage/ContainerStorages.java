package io.vcj.kata.guest.storage;

import io.vcj.kata.proto.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The storages mounted for each container, unmounted when it is removed: the host unplugs a
 * container's disks right after, and a disk must not go while its filesystem is still mounted.
 */
public final class ContainerStorages {
    private static final Logger LOG = LogManager.getLogger(ContainerStorages.class);

    private final StorageMounter mounter;
    private final Map<String, List<Path>> mountedByContainer = new ConcurrentHashMap<>();

    public ContainerStorages(StorageMounter mounter) {
        this.mounter = mounter;
    }

    /** Mounts them all or, failing one, unmounts those this call mounted and throws. */
    public void mount(String containerId, List<Storage> storages) throws IOException {
        var mounted = new ArrayList<Path>();
        try {
            for (Storage storage : storages) {
                if (mounter.mount(storage)) {
                    mounted.add(Path.of(storage.getMountPoint()));
                }
            }
        } catch (IOException | RuntimeException e) {
            unmountAll(mounted);
            throw e;
        }
        mountedByContainer.put(containerId, mounted);
    }

    /** Unmounts what {@link #mount} mounted for the container, last first. */
    public void release(String containerId) {
        List<Path> mounted = mountedByContainer.remove(containerId);
        if (mounted != null) {
            unmountAll(mounted);
        }
    }

    /**
     * Unmounts every container's storages: at sandbox teardown, so that what containers wrote on
     * their disks is on the disks before the VM quits, not in the guest's page cache.
     */
    public void releaseAll() {
        List.copyOf(mountedByContainer.keySet()).forEach(this::release);
    }

    private void unmountAll(List<Path> mounted) {
        for (Path target : mounted.reversed()) {
            try {
                mounter.unmount(target);
            } catch (IOException e) {
                LOG.error("cannot unmount {}: {}", target, e.getMessage());
            }
        }
    }
}
