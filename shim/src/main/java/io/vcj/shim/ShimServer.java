package io.vcj.shim;

import io.vcj.shim.config.ConfiguredSandboxes;
import io.vcj.shim.config.VcjConfig;
import io.vcj.shim.events.TtrpcEventPublisher;
import io.vcj.shim.task.VcjTaskService;
import io.vcj.ttrpc.Endpoint;
import io.vcj.ttrpc.TtrpcServer;
import io.vcj.vc.VirtContainers;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The long-lived shim: serves containerd's Task service on the socket {@code start} bound (or on
 * {@code -socket}), publishes events to {@code TTRPC_ADDRESS}, and exits when the task service
 * says so or on SIGTERM, removing its socket.
 */
final class ShimServer {

    /** How long SIGTERM waits for the orderly stop below before the JVM goes anyway. */
    private static final long TERM_GRACE_SECONDS = 10;
    /**
     * The task service asks to stop from inside the Shutdown call; its reply still has to go out.
     * The ttrpc server has no graceful stop, so it gets this long (containerd treats a connection
     * closed instead of a reply as success, so a loaded host loses nothing but a log line).
     */
    private static final long REPLY_GRACE_MILLIS = 200;

    /**
     * Platform threads: task calls block opening and copying containerd's stdio FIFOs, which
     * would pin the few carriers of virtual threads and stall every other call.
     */
    private static final ThreadFactory HANDLER_THREADS = Thread.ofPlatform().daemon().name("task-call-", 0).factory();

    private final ShimFlags flags;
    private final VcjConfig config;
    private final Map<String, String> environment;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Before any logger is made: it sets the log level. */
    ShimServer(ShimFlags flags, VcjConfig config, Map<String, String> environment) {
        this.flags = flags.require("namespace", "address", "id");
        this.config = config;
        this.environment = environment;
        ShimLogging.toStderr(flags.debug() || config.debug() ? "DEBUG" : "INFO");
    }

    /**
     * @param listener the descriptor listening at {@code socket} (from {@code start}), or empty to
     *                 bind {@code socket} here
     */
    void run(ShimSocket socket, OptionalInt listener) throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(socket), "shim-sigterm"));
        try {
            serve(socket, listener);
        } finally {
            Files.deleteIfExists(socket.path());
            stopped.countDown();
        }
    }

    private void serve(ShimSocket socket, OptionalInt listener) throws IOException, InterruptedException {
        Logger log = LogManager.getLogger(ShimServer.class);
        try (VirtContainers vc = ShimRuntime.virtContainers(config);
             TtrpcEventPublisher events = new TtrpcEventPublisher(ttrpcAddress(), flags.namespace());
             TtrpcServer server = new TtrpcServer(HANDLER_THREADS)) {
            server.register(new VcjTaskService(vc, new ConfiguredSandboxes(config), events, shutdown::countDown));
            Endpoint endpoint = listener.isPresent() ? server.listenOnFd(listener.getAsInt()) : server.listen(socket.path());
            log.info("shim {} for {}/{} serving on {} (config {}, pid {})", ShimMain.VERSION, flags.namespace(),
                    flags.id(), socket.address(), config.file(), ProcessHandle.current().pid());
            shutdown.await();
            log.info("shutting down");
            endpoint.close();
            // Gone as soon as nothing listens on it, not after the rest of the shutdown: a shim killed
            // meanwhile (containerd stopping, a test cleaning up) would leave it in /run/containerd/s.
            Files.deleteIfExists(socket.path());
            Thread.sleep(REPLY_GRACE_MILLIS);
        }
    }

    /** Where containerd listens for events; containerd 1.6 always sets it, the default covers hand starts. */
    private String ttrpcAddress() {
        return environment.getOrDefault("TTRPC_ADDRESS", flags.address() + ".ttrpc");
    }

    /** Whatever happens, the socket goes: a stale one would make the next start of the pod wait on it. */
    private void stopOnSignal(ShimSocket socket) {
        shutdown.countDown();
        try {
            if (!stopped.await(TERM_GRACE_SECONDS, TimeUnit.SECONDS)) {
                Files.deleteIfExists(socket.path());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The JVM is going; nothing left to report it to.
        }
    }
}
