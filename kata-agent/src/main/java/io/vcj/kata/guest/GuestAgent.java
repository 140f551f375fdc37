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
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.OutputStream;
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
    /** Pause before reading the port again after the host went away, so an absent host costs no CPU. */
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
     * A virtio-serial port reads end-of-file while no host is connected to it. The agent keeps the
     * port open and serves each host that connects on it in turn: were it closed and reopened
     * between hosts, the guest kernel would discard what a host that connected meanwhile had
     * already sent (the first health check of a VM resumed from a template was lost that way).
     */
    private static void serveChannel(TtrpcServer server, Path device, Logger log) throws IOException, InterruptedException {
        log.info("serving on {}", device);
        try (RandomAccessFile port = new RandomAccessFile(device.toFile(), "rw")) {
            InputStream in = new FilterInputStream(new FileInputStream(port.getFD())) {
                @Override
                public void close() {
                    // the port outlives each host's session
                }
            };
            OutputStream out = keptOpen(new FileOutputStream(port.getFD()));
            while (true) {
                server.serve(in, out, device.toString()).awaitClosed();
                log.debug("no host on {}", device);
                Thread.sleep(REOPEN_PAUSE_MILLIS);
            }
        }
    }

    /** {@code out}, except that closing it does not close the port. */
    private static OutputStream keptOpen(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
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
