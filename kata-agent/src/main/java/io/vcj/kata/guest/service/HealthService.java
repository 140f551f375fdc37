package io.vcj.kata.guest.service;

import io.vcj.kata.proto.CheckRequest;
import io.vcj.kata.proto.HealthCheckResponse;
import io.vcj.kata.proto.HealthTtrpcService;
import io.vcj.kata.proto.VersionCheckResponse;

/** {@code grpc.Health}: the host polls Check until the agent answers, then asks its Version. */
public final class HealthService extends HealthTtrpcService {
    /** The agent's version as GetGuestDetails and Version report it. */
    public static final String AGENT_VERSION = "vcj-0.1.0";
    /** The kata agent API revision whose protos this agent speaks. */
    private static final String API_VERSION = "kata-4.1.0";

    @Override
    public HealthCheckResponse check(CheckRequest request) {
        return HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build();
    }

    @Override
    public VersionCheckResponse version(CheckRequest request) {
        return VersionCheckResponse.newBuilder().setGrpcVersion(API_VERSION).setAgentVersion(AGENT_VERSION).build();
    }
}
