package io.vcj.kata.guest.container;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Tells which containers lost a process to the OOM killer. cgroup v2 counts those kills in each
 * cgroup's {@code memory.events} ({@code oom_kill N}) and wakes inotify watchers of the cgroup's
 * directory when the file changes, so a container is watched from its start to its removal.
 * A cgroup that is not there (no cgroup v2, as on a cgroup v1 test host, or a container that has
 * already ended and been removed by runc) is not watched.
 */
public final class OomWatcher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(OomWatcher.class);
    private static final String EVENTS = "memory.events";

    private final Path cgroupRoot;
    private final Map<WatchKey, Cgroup> cgroups = new ConcurrentHashMap<>();
    private final BlockingQueue<String> killed = new LinkedBlockingQueue<>();
    private WatchService watchService;

    public OomWatcher(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /** Starts watching a container's cgroup, given as its OCI {@code cgroupsPath}. */
    public synchronized void watch(String containerId, String cgroupsPath) {
        Path dir = cgroupRoot.resolve(cgroupsPath.replaceFirst("^/+", ""));
        if (!Files.isRegularFile(dir.resolve(EVENTS))) {
            LOG.debug("no {} in {}: OOM kills in container {} go unreported", EVENTS, dir, containerId);
            return;
        }
        try {
            WatchKey key = dir.register(watchService(), StandardWatchEventKinds.ENTRY_MODIFY);
            Cgroup cgroup = new Cgroup(containerId, dir.resolve(EVENTS));
            cgroups.put(key, cgroup);
            cgroup.check();
        } catch (NoSuchFileException e) {
            LOG.debug("container {} ended before its cgroup {} could be watched", containerId, dir);
        } catch (IOException e) {
            // Reporting OOM kills is a courtesy: the container runs on without it.
            LOG.warn("cannot watch {} for OOM kills of container {}: {}", dir, containerId, e.toString());
        }
    }

    public void forget(String containerId) {
        cgroups.entrySet().removeIf(entry -> {
            boolean match = entry.getValue().containerId.equals(containerId);
            if (match) {
                entry.getKey().cancel();
            }
            return match;
        });
    }

    /** Blocks until a watched container has had a process killed, and returns its id. */
    public String next() throws InterruptedException {
        return killed.take();
    }

    /** The watcher thread starts with the first container, not with the agent: start-up is the hot path. */
    private WatchService watchService() throws IOException {
        if (watchService == null) {
            watchService = FileSystems.getDefault().newWatchService();
            Thread.ofPlatform().daemon().name("oom-watcher").start(this::dispatch);
        }
        return watchService;
    }

    private void dispatch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                Cgroup cgroup = cgroups.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (cgroup != null && EVENTS.equals(String.valueOf(event.context()))) {
                        cgroup.check();
                    }
                }
                if (!key.reset()) {
                    cgroups.remove(key);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            LOG.debug("OOM watcher stopped");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (watchService != null) {
            watchService.close();
        }
    }

    /** One container's cgroup and the OOM kills already reported for it. */
    private final class Cgroup {
        private final String containerId;
        private final Path events;
        private long reported;

        Cgroup(String containerId, Path events) {
            this.containerId = containerId;
            this.events = events;
        }

        synchronized void check() {
            long kills = oomKills();
            if (kills > reported) {
                reported = kills;
                LOG.info("the OOM killer struck in container {} ({} kills so far)", containerId, kills);
                killed.add(containerId);
            }
        }

        private long oomKills() {
            try {
                return Files.readAllLines(events).stream()
                        .filter(line -> line.startsWith("oom_kill "))
                        .mapToLong(line -> Long.parseLong(line.substring("oom_kill ".length()).strip()))
                        .findFirst().orElse(0);
            } catch (NoSuchFileException gone) {
                return reported;
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", events, e.getMessage());
                return reported;
            }
        }
    }
}
