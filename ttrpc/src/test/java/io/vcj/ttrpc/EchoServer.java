package io.vcj.ttrpc;

import com.google.protobuf.Empty;
import io.vcj.ttrpc.test.EchoOuterClass.EchoReply;
import io.vcj.ttrpc.test.EchoOuterClass.EchoRequest;
import io.vcj.ttrpc.test.EchoOuterClass.Envelope;
import io.vcj.ttrpc.test.EchoOuterClass.FailRequest;
import io.vcj.ttrpc.test.EchoOuterClass.Pair;
import io.vcj.ttrpc.test.EchoOuterClass.SleepRequest;
import io.vcj.ttrpc.test.EchoTtrpcService;
import io.vcj.ttrpc.proto.KeyValue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The test implementation of the generated Echo service base. */
final class EchoServer extends EchoTtrpcService {

    /** How each Sleep call ended: "completed" or "interrupted". */
    final BlockingQueue<String> sleepEndings = new LinkedBlockingQueue<>();

    @Override
    public EchoReply echo(EchoRequest request) {
        EchoReply.Builder reply = EchoReply.newBuilder().setText(request.getText()).setBlob(request.getBlob());
        for (KeyValue kv : RequestContext.current().metadata().toWire()) {
            reply.addMetadata(Pair.newBuilder().setKey(kv.getKey()).setValue(kv.getValue()));
        }
        return reply.build();
    }

    @Override
    public Empty sleep(SleepRequest request) {
        try {
            Thread.sleep(request.getMillis());
            sleepEndings.add("completed");
        } catch (InterruptedException e) {
            sleepEndings.add("interrupted");
        }
        return Empty.getDefaultInstance();
    }

    @Override
    public Empty fail(FailRequest request) {
        if (request.getCode() == 0) {
            throw new IllegalStateException(request.getMessage());
        }
        throw new TtrpcException(StatusCode.forNumber(request.getCode()), request.getMessage());
    }

    @Override
    public Envelope.Inner wait(Envelope.Inner request) {
        return request.toBuilder().setText("waited for " + request.getText()).build();
    }
}
