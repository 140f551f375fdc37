package io.vcj.kata.guest;

import io.vcj.kata.guest.container.ContainerPaths;
import io.vcj.kata.guest.container.Sandbox;
import io.vcj.kata.guest.fs.FileTrees;
import io.vcj.kata.guest.runc.Runc;
import io.vcj.kata.proto.AgentServiceTtrpcClient;
import io.vcj.kata.proto.CheckRequest;
import io.vcj.kata.proto.CreateContainerRequest;
import io.vcj.kata.proto.GuestDetailsRequest;
import io.vcj.kata.proto.HealthTtrpcClient;
import io.vcj.kata.proto.Process;
import io.vcj.kata.proto.ReadStreamRequest;
import io.vcj.kata.proto.RemoveContainerRequest;
import io.vcj.kata.proto.Root;
import io.vcj.kata.proto.Spec;
import io.vcj.ttrpc.TtrpcClient;
import io.vcj.ttrpc.TtrpcException;
import io.vcj.ttrpc.TtrpcServer;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workload for the agent's AOT training run ({@code -XX:AOTCacheOutput=}): the agent's
 * start-up plus the calls a host makes first, served over a byte-stream pair as on the
 * virtio-serial port, so that the cache holds the request path too. Needs no VM, no host and no
 * working runc; everything lives in a temp dir and the process exits by itself.
 */
public final class AgentTraining {
    private AgentTraining() {
    }

    public static void main(String[] args) throws Exception {
        GuestAgent.logToStderr();
        Path dir = Files.createTempDirectory("vcj-agent-training");
        try {
            ContainerPaths paths = new ContainerPaths(dir.resolve("shared"), dir.resolve("bundles"), "/vcj-training");
            Files.createDirectories(paths.rootfs("training"));
            Sandbox sandbox = new Sandbox(new Runc("runc", dir.resolve("runc"), false), paths);
            try (TtrpcServer server = GuestAgent.server(sandbox); TtrpcClient client = connect(server)) {
                exercise(HealthTtrpcClient.of(client), AgentServiceTtrpcClient.of(client));
            }
        } finally {
            FileTrees.delete(dir);
        }
    }

    /** Two OS pipes, so both ends behave like file descriptors, as the virtio-serial port does. */
    private static TtrpcClient connect(TtrpcServer server) throws IOException {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        server.serve(Channels.newInputStream(toServer.source()), Channels.newOutputStream(toClient.sink()), "training");
        return TtrpcClient.over(Channels.newInputStream(toClient.source()), Channels.newOutputStream(toServer.sink()),
                "training");
    }

    private static void exercise(HealthTtrpcClient health, AgentServiceTtrpcClient agent) {
        health.check(CheckRequest.getDefaultInstance());
        health.version(CheckRequest.getDefaultInstance());
        agent.getGuestDetails(GuestDetailsRequest.getDefaultInstance());
        agent.createContainer(CreateContainerRequest.newBuilder().setContainerId("training")
                .setOCI(Spec.newBuilder().setRoot(Root.newBuilder().setPath("rootfs"))
                        .setProcess(Process.newBuilder().addArgs("true").setCwd("/")))
                .build());
        ignoringFailure(() -> agent.readStdout(ReadStreamRequest.newBuilder().setContainerId("training").build()));
        // runc deletes a container it never started, or is missing here: either way the host gets an answer.
        ignoringFailure(() -> agent.removeContainer(RemoveContainerRequest.newBuilder().setContainerId("training").build()));
    }

    private static void ignoringFailure(Runnable call) {
        try {
            call.run();
        } catch (TtrpcException e) {
            // An error reply is as good a workload as a success.
        }
    }
}
