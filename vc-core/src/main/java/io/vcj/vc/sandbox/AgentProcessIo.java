package io.vcj.vc.sandbox;

import io.vcj.vc.ProcessIo;
import io.vcj.vc.agent.Agent;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** {@link ProcessIo} over the agent's stdin/stdout/stderr calls. */
final class AgentProcessIo implements ProcessIo {
    private static final int READ_CHUNK = 32 * 1024;

    private final Supplier<Agent> agent;
    private final ProcessKey key;

    AgentProcessIo(Supplier<Agent> agent, ProcessKey key) {
        this.agent = agent;
        this.key = key;
    }

    @Override
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) {
                byte[] rest = Arrays.copyOfRange(data, offset, offset + length);
                while (rest.length > 0) {
                    int taken = agent.get().writeStdin(key.containerId(), key.agentExecId(), rest);
                    rest = Arrays.copyOfRange(rest, taken, rest.length);
                }
            }

            @Override
            public void close() {
                agent.get().closeStdin(key.containerId(), key.agentExecId());
            }
        };
    }

    @Override
    public InputStream stdout() {
        return new AgentInputStream(max -> agent.get().readStdout(key.containerId(), key.agentExecId(), max));
    }

    @Override
    public InputStream stderr() {
        return new AgentInputStream(max -> agent.get().readStderr(key.containerId(), key.agentExecId(), max));
    }

    @Override
    public void resizeTerminal(int rows, int columns) {
        agent.get().ttyWinResize(key.containerId(), key.agentExecId(), rows, columns);
    }

    /** Reads chunks from the agent; an empty chunk is end of stream. */
    private static final class AgentInputStream extends InputStream {
        private final IntFunction<byte[]> read;
        private byte[] chunk = new byte[0];
        private int position;
        private boolean ended;

        AgentInputStream(IntFunction<byte[]> read) {
            this.read = read;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position == chunk.length && !fill()) {
                return -1;
            }
            int count = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, count);
            position += count;
            return count;
        }

        private boolean fill() {
            if (ended) {
                return false;
            }
            chunk = read.apply(READ_CHUNK);
            position = 0;
            ended = chunk.length == 0;
            return !ended;
        }
    }
}
