package io.vcj.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service as a server sees it: its protobuf descriptor and, per method name, code that turns
 * a request payload into a reply payload. Built from the descriptor so that method names and
 * kinds (unary only) are checked when the service is registered, not when a call arrives.
 */
public final class ServiceDefinition {

    /** One bound method: payload in, payload out. */
    interface Method {
        ByteString invoke(ByteString payload) throws Exception;
    }

    private final ServiceDescriptor descriptor;
    private final Map<String, Method> methods;

    private ServiceDefinition(ServiceDescriptor descriptor, Map<String, Method> methods) {
        this.descriptor = descriptor;
        this.methods = Map.copyOf(methods);
    }

    public static Builder builder(ServiceDescriptor descriptor) {
        return new Builder(Objects.requireNonNull(descriptor, "descriptor"));
    }

    /** The fully-qualified proto name clients put in {@code Request.service}. */
    public String name() {
        return descriptor.getFullName();
    }

    public ServiceDescriptor descriptor() {
        return descriptor;
    }

    Method method(String name) {
        return methods.get(name);
    }

    public static final class Builder {
        private final ServiceDescriptor descriptor;
        private final Map<String, Method> methods = new HashMap<>();

        private Builder(ServiceDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        /**
         * Binds the RPC named {@code methodName}. {@code requestPrototype} (the request type's
         * default instance) must be the type the descriptor declares. Not checked here: asking a
         * generated message for its descriptor builds its reflection tables (every accessor looked
         * up; 0.3-0.4 MiB of the shim's RSS for the Task service's 18 request types), and the stub
         * generator, the only caller, takes the request class from that very descriptor.
         */
        public <Req extends MessageLite, Resp extends MessageLite> Builder unary(
                String methodName, Req requestPrototype, UnaryHandler<Req, Resp> handler) {
            MethodDescriptor method = descriptor.findMethodByName(methodName);
            if (method == null) {
                throw new IllegalArgumentException("service " + descriptor.getFullName() + " has no method " + methodName);
            }
            if (method.isClientStreaming() || method.isServerStreaming()) {
                throw new IllegalArgumentException(fullName(methodName) + " is a streaming RPC; only unary RPCs are supported");
            }
            if (methods.containsKey(methodName)) {
                throw new IllegalArgumentException(fullName(methodName) + " is bound twice");
            }
            Objects.requireNonNull(handler, "handler");
            String name = fullName(methodName);
            methods.put(methodName, payload -> invoke(name, requestPrototype, handler, payload));
            return this;
        }

        public ServiceDefinition build() {
            return new ServiceDefinition(descriptor, methods);
        }

        private String fullName(String methodName) {
            return "/" + descriptor.getFullName() + "/" + methodName;
        }

        @SuppressWarnings("unchecked")
        private static <Req extends MessageLite, Resp extends MessageLite> ByteString invoke(
                String name, Req prototype, UnaryHandler<Req, Resp> handler, ByteString payload) throws Exception {
            Req request;
            try {
                request = (Req) prototype.getParserForType().parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new TtrpcException(StatusCode.INTERNAL, "ttrpc: error unmarshalling payload: " + e.getMessage());
            }
            Resp reply = handler.handle(request);
            if (reply == null) {
                throw new TtrpcException(StatusCode.INTERNAL, name + ": handler returned no reply");
            }
            return reply.toByteString();
        }
    }
}
