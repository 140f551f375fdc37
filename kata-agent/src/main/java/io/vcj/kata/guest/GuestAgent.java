package io.vcj.kata.guest;

import io.vcj.kata.guest.container.Sandbox;
import io.vcj.kata.guest.network.GuestNetwork;
import io.vcj.kata.guest.runc.Runc;
import io.vcj.kata.guest.service.AgentService;
import io.vcj.kata.guest.service.HealthService;
import io.vcj.kata.guest.service.ProcessesService;
import io.vcj.kata.guest.storage.ContainerDevices;
import io.vcj.kata.guest.storage.StorageMounter;
import io.vcj.kata.guest.sys.RootFilesystem;
import io.vcj.ttrpc.Endpoint;
import io.vcj.ttrpc.TtrpcServer;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The guest agent: serves {@code grpc.AgentService} and {@code grpc.Health} over ttrpc on the
 * VM's virtio-serial port (or, for tests, a Unix socket) and runs the pod's containers with runc.
 */
public final class GuestAgent {
    /** Pause before reopening the port after the host went away, so an absent host costs no CPU. */
    private static final long REOPEN_PAUSE_MILLIS = 50;

    private GuestAgent() {
    }

    public static void main(String[] args) throws Exception {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        logToStderr();
        Logger log = LogManager.getLogger(GuestAgent.class);
        Runc runc = new Runc(options.runc(), options.runcRoot(), RootFilesystem.isRamdisk(Path.of("/proc/self/mounts")));
        Sandbox sandbox = new Sandbox(runc, options.paths());
        // Whatever ends the agent, no container may outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::destroy, "destroy-sandbox"));
        try (TtrpcServer server = server(sandbox)) {
            if (options.listen() != null) {
                Endpoint endpoint = server.listen(options.listen());
                log.info("serving on unix:{}", options.listen());
                endpoint.awaitClosed();
            } else {
                serveChannel(server, options.channel(), log);
            }
        }
    }

    /** The agent's ttrpc server with its services registered; the caller serves it where it likes. */
    public static TtrpcServer server(Sandbox sandbox) {
        return new TtrpcServer()
                .register(new HealthService())
                .register(new AgentService(sandbox, StorageMounter.guest(), ContainerDevices.guest(), GuestNetwork.guest()))
                .register(new ProcessesService(sandbox));
    }

    /**
     * A virtio-serial port can be opened only once at a time, and reads end-of-file while no host
     * is connected to it; the agent then reopens it and serves whoever connects next.
     */
    private static void serveChannel(TtrpcServer server, Path device, Logger log) throws IOException, InterruptedException {
        log.info("serving on {}", device);
        while (true) {
            try (RandomAccessFile port = new RandomAccessFile(device.toFile(), "rw")) {
                server.serve(new FileInputStream(port.getFD()), new FileOutputStream(port.getFD()), device.toString())
                        .awaitClosed();
            }
            log.debug("host left {}; reopening", device);
            Thread.sleep(REOPEN_PAUSE_MILLIS);
        }
    }

    /**
     * log4j's SimpleLogger, writing to stderr (the VM console): log4j-core would load a thousand
     * classes at start-up. Settings given with -D win.
     */
    static void logToStderr() {
        System.getProperties().putIfAbsent("log4j.provider", "org.apache.logging.log4j.simple.internal.SimpleProvider");
        System.getProperties().putIfAbsent("org.apache.logging.log4j.simplelog.level", "INFO");
        System.getProperties().putIfAbsent("org.apache.logging.log4j.simplelog.showdatetime", "true");
        System.getProperties().putIfAbsent("org.apache.logging.log4j.simplelog.logFile", "system.err");
    }
}
