package io.vcj.ttrpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * A unary RPC as a client calls it: the names that go on the wire and how to read the reply.
 * Generated client stubs hold one constant per RPC.
 */
public record UnaryMethod<Req extends MessageLite, Resp extends MessageLite>(
        String service, String method, Parser<Resp> responseParser) {

    /** The {@code /service/method} form used in logs and errors. */
    public String fullName() {
        return "/" + service + "/" + method;
    }
}
