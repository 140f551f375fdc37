package io.vcj.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vcj.ttrpc.proto.Request;
import io.vcj.ttrpc.proto.Response;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A hand-driven ttrpc connection for tests that must send what our client never would. */
final class RawConnection implements AutoCloseable {

    record RawFrame(int streamId, byte type, byte flags, byte[] data) {
        Response response() throws InvalidProtocolBufferException {
            return Response.parseFrom(data);
        }
    }

    private final SocketChannel socket;

    RawConnection(Path path) throws IOException {
        this(SocketChannel.open(StandardProtocolFamily.UNIX));
        socket.connect(UnixDomainSocketAddress.of(path));
    }

    RawConnection(SocketChannel connected) {
        this.socket = connected;
    }

    static Request request(String service, String method, ByteString payload) {
        return Request.newBuilder().setService(service).setMethod(method).setPayload(payload).build();
    }

    void sendHeader(long length, int streamId, int type, int flags) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(10).putInt((int) length).putInt(streamId)
                .put((byte) type).put((byte) flags).flip();
        writeFully(header);
    }

    void send(int streamId, int type, int flags, byte[] data) throws IOException {
        sendHeader(data.length, streamId, type, flags);
        writeFully(ByteBuffer.wrap(data));
    }

    void sendRequest(int streamId, Request request) throws IOException {
        send(streamId, 1, 0, request.toByteArray());
    }

    void sendBytes(byte[] bytes) throws IOException {
        writeFully(ByteBuffer.wrap(bytes));
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    RawFrame read() throws IOException {
        ByteBuffer header = readFully(10);
        int length = header.getInt();
        int streamId = header.getInt();
        byte type = header.get();
        byte flags = header.get();
        return new RawFrame(streamId, type, flags, readFully(length).array());
    }

    /** True once the server has closed the connection (reads hit end of stream). */
    boolean closedByPeer() throws IOException {
        return socket.read(ByteBuffer.allocate(1)) < 0;
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (socket.read(b) < 0) {
                throw new EOFException("connection closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
