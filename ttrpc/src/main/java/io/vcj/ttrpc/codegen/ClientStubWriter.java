package io.vcj.ttrpc.codegen;

import java.util.Set;

/**
 * Writes {@code <Service>TtrpcClient}: an interface with a blocking and an async method per RPC,
 * and a factory binding it to a {@code TtrpcClient} and call options.
 */
final class ClientStubWriter {

    /** Method names the interface itself uses; RPCs that would clash get a trailing underscore. */
    static final Set<String> RESERVED = Set.of("of", "withOptions", "options");

    private ClientStubWriter() {
    }

    static String write(ServiceModel service) {
        String name = service.clientName();
        StringBuilder s = new StringBuilder(service.header());
        s.append("""
                /**
                 * ttrpc client for {@code %1$s}. Blocking methods throw {@link io.vcj.ttrpc.TtrpcException};
                 * async ones complete exceptionally with it.
                 */
                public interface %2$s {

                """.formatted(service.fullName(), name));
        for (ServiceModel.Rpc rpc : service.rpcs()) {
            s.append("""
                        %1$s %2$s(%3$s request);

                        java.util.concurrent.CompletableFuture<%1$s> %2$sAsync(%3$s request);

                    """.formatted(rpc.responseClass(), rpc.javaName(), rpc.requestClass()));
        }
        s.append("""
                    /** The same client with other call options (timeout, metadata). */
                    %1$s withOptions(io.vcj.ttrpc.CallOptions options);

                    static %1$s of(io.vcj.ttrpc.TtrpcClient client) {
                        return of(client, io.vcj.ttrpc.CallOptions.DEFAULT);
                    }

                    static %1$s of(io.vcj.ttrpc.TtrpcClient client, io.vcj.ttrpc.CallOptions options) {
                        return new Stub(client, options);
                    }

                    /** The implementation behind {@link #of}. */
                    final class Stub implements %1$s {
                """.formatted(name));
        for (ServiceModel.Rpc rpc : service.rpcs()) {
            s.append("""
                            private static final io.vcj.ttrpc.UnaryMethod<%1$s, %2$s> %3$s =
                                    new io.vcj.ttrpc.UnaryMethod<>("%4$s", "%5$s", %2$s.parser());
                    """.formatted(rpc.requestClass(), rpc.responseClass(), constantName(rpc), service.fullName(),
                    rpc.protoName()));
        }
        s.append("""

                        private final io.vcj.ttrpc.TtrpcClient client;
                        private final io.vcj.ttrpc.CallOptions options;

                        private Stub(io.vcj.ttrpc.TtrpcClient client, io.vcj.ttrpc.CallOptions options) {
                            this.client = java.util.Objects.requireNonNull(client, "client");
                            this.options = java.util.Objects.requireNonNull(options, "options");
                        }

                        @Override
                        public %1$s withOptions(io.vcj.ttrpc.CallOptions options) {
                            return new Stub(client, options);
                        }
                """.formatted(name));
        for (ServiceModel.Rpc rpc : service.rpcs()) {
            s.append("""

                            @Override
                            public %1$s %2$s(%3$s request) {
                                return client.call(%4$s, request, options);
                            }

                            @Override
                            public java.util.concurrent.CompletableFuture<%1$s> %2$sAsync(%3$s request) {
                                return client.callAsync(%4$s, request, options);
                            }
                    """.formatted(rpc.responseClass(), rpc.javaName(), rpc.requestClass(), constantName(rpc)));
        }
        return s.append("    }\n}\n").toString();
    }

    private static String constantName(ServiceModel.Rpc rpc) {
        return rpc.protoName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT) + "_METHOD";
    }
}
