package io.vcj.kata.guest.service;

import static io.vcj.kata.guest.service.Statuses.translating;

import io.vcj.kata.guest.container.Sandbox;
import io.vcj.kata.proto.vcj.ListProcessesRequest;
import io.vcj.kata.proto.vcj.ListProcessesResponse;
import io.vcj.kata.proto.vcj.ProcessesTtrpcService;

/** vcj.agent.Processes: the processes of a container, which the kata agent API no longer lists. */
public final class ProcessesService extends ProcessesTtrpcService {
    private final Sandbox sandbox;

    public ProcessesService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public ListProcessesResponse listProcesses(ListProcessesRequest request) throws Exception {
        return translating(() -> ListProcessesResponse.newBuilder()
                .addAllPids(sandbox.pids(request.getContainerId()))
                .build());
    }
}
