package io.vcj.kata.guest.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher over a cgroup tree made of plain files, written the way cgroup v2 rewrites memory.events. */
class OomWatcherTest {
    /** Patience for the inotify round trip, not a measurement; a missing event fails after it. */
    private static final long PATIENCE_SECONDS = 20;

    @TempDir
    Path cgroupRoot;
    private OomWatcher watcher;

    @BeforeEach
    void setUp() {
        watcher = new OomWatcher(cgroupRoot);
    }

    @AfterEach
    void tearDown() throws Exception {
        watcher.close();
    }

    private Path cgroup(String path) throws Exception {
        Path dir = Files.createDirectories(cgroupRoot.resolve(path));
        kills(dir, 0);
        return dir;
    }

    private static void kills(Path cgroup, int count) throws Exception {
        Files.writeString(cgroup.resolve("memory.events"),
                "low 0\nhigh 0\nmax " + count + "\noom " + count + "\noom_kill " + count + "\n");
    }

    private String next() throws Exception {
        return next(PATIENCE_SECONDS);
    }

    private String next(long seconds) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return watcher.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(seconds, TimeUnit.SECONDS);
    }

    @Test
    void eachNewKillNamesTheContainerWhoseCgroupCountedIt() throws Exception {
        Path web = cgroup("vcj/web");
        Path db = cgroup("vcj/db");
        watcher.watch("web", "/vcj/web");
        watcher.watch("db", "/vcj/db");

        kills(db, 1);
        assertEquals("db", next());
        kills(web, 1);
        assertEquals("web", next());
        kills(web, 3);
        assertEquals("web", next());
    }

    @Test
    void rewritingTheSameCountReportsNothingNew() throws Exception {
        Path web = cgroup("vcj/web");
        watcher.watch("web", "/vcj/web");
        kills(web, 1);
        assertEquals("web", next());

        kills(web, 1);
        Path db = cgroup("vcj/db");
        watcher.watch("db", "/vcj/db");
        kills(db, 1);

        assertEquals("db", next(), "web's unchanged count was not reported again");
    }

    @Test
    void aForgottenContainerIsNoLongerReported() throws Exception {
        Path web = cgroup("vcj/web");
        watcher.watch("web", "/vcj/web");
        watcher.forget("web");

        kills(web, 1);

        assertThrows(TimeoutException.class, () -> next(2));
    }

    @Test
    void aContainerWithoutACgroupV2IsSkipped() throws Exception {
        watcher.watch("nowhere", "/vcj/nowhere");
        Path web = cgroup("vcj/web");
        watcher.watch("web", "/vcj/web");

        kills(web, 1);

        assertEquals("web", next());
    }
}
