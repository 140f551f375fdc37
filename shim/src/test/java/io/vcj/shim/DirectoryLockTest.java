package io.vcj.shim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DirectoryLockTest {

    @TempDir
    Path dir;

    /** flock(2) locks belong to an open file description: two acquisitions exclude each other even in one process. */
    @Test
    void aSecondHolderWaitsUntilTheFirstLetsGo() throws Exception {
        Path sockets = dir.resolve("s");
        CountDownLatch secondHolds = new CountDownLatch(1);
        Thread second;
        try (DirectoryLock first = DirectoryLock.acquire(sockets)) {
            second = Thread.ofPlatform().start(() -> {
                try (DirectoryLock lock = DirectoryLock.acquire(sockets)) {
                    secondHolds.countDown();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(secondHolds.await(300, TimeUnit.MILLISECONDS), "the second took the lock the first holds");
        }
        assertTrue(secondHolds.await(10, TimeUnit.SECONDS), "the second never got the lock once free");
        second.join();
    }
}
