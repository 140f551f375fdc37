package io.vcj.ttrpc.codegen;

import java.util.Set;

/**
 * Writes {@code <Service>TtrpcService}: an abstract class with one overridable method per RPC
 * (answering UNIMPLEMENTED until overridden) that binds itself to the service's descriptor.
 */
final class ServiceBaseWriter {

    static final Set<String> RESERVED = Set.of("definition");

    private ServiceBaseWriter() {
    }

    static String write(ServiceModel service) {
        StringBuilder s = new StringBuilder(service.header());
        s.append("""
                /**
                 * Base for a ttrpc server implementation of {@code %1$s}: override the RPCs you serve and
                 * register the instance with {@link io.vcj.ttrpc.TtrpcServer#register}. Each call runs on its
                 * own thread and may block; throw {@link io.vcj.ttrpc.TtrpcException} to answer with a status.
                 */
                public abstract class %2$s implements io.vcj.ttrpc.TtrpcService {
                """.formatted(service.fullName(), service.serviceBaseName()));
        for (ServiceModel.Rpc rpc : service.rpcs()) {
            s.append("""

                        public %1$s %2$s(%3$s request) throws Exception {
                            throw new io.vcj.ttrpc.TtrpcException(io.vcj.ttrpc.StatusCode.UNIMPLEMENTED,
                                    "/%4$s/%5$s is not implemented");
                        }
                    """.formatted(rpc.responseClass(), rpc.javaName(), rpc.requestClass(), service.fullName(),
                    rpc.protoName()));
        }
        s.append("""

                    @Override
                    public final io.vcj.ttrpc.ServiceDefinition definition() {
                        return io.vcj.ttrpc.ServiceDefinition.builder(%1$s.getDescriptor().findServiceByName("%2$s"))
                """.formatted(service.outerClass(), service.simpleName()));
        for (ServiceModel.Rpc rpc : service.rpcs()) {
            s.append("                .unary(\"%1$s\", %2$s.getDefaultInstance(), this::%3$s)\n"
                    .formatted(rpc.protoName(), rpc.requestClass(), rpc.javaName()));
        }
        return s.append("                .build();\n    }\n}\n").toString();
    }
}
