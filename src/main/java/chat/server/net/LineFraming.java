package chat.server.net;

import java.util.ArrayDeque;
import java.util.function.Function;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Splits a byte stream into '\n'-terminated lines (a '\r' before the '\n' is dropped, blank lines
 * are skipped) and turns each into an element with `onLine`.
 *
 * Unlike Framing.delimiter, a line longer than `maxLineBytes` does not fail the stream silently:
 * it becomes one last `onTooLong` element and everything after it is discarded unread, so the
 * session can answer `frame_too_large` and close the connection itself (completing here would make
 * the TCP stage close it before the answer is written). At most one line plus one read is ever
 * buffered, whatever the peer sends.
 */
public final class LineFraming<T> extends GraphStage<FlowShape<ByteString, T>> {

    private static final byte NL = '\n';

    private final int maxLineBytes;
    private final Function<ByteString, T> onLine;
    private final T onTooLong;
    private final Inlet<ByteString> in = Inlet.create("LineFraming.in");
    private final Outlet<T> out = Outlet.create("LineFraming.out");
    private final FlowShape<ByteString, T> shape = FlowShape.of(in, out);

    public LineFraming(int maxLineBytes, Function<ByteString, T> onLine, T onTooLong) {
        this.maxLineBytes = maxLineBytes;
        this.onLine = onLine;
        this.onTooLong = onTooLong;
    }

    @Override
    public FlowShape<ByteString, T> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape) {
            private ByteString buffer = ByteString.emptyByteString();
            private int scanned; // bytes of buffer already known to hold no '\n'
            private final ArrayDeque<T> ready = new ArrayDeque<>(4);
            private boolean overflowed;

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString chunk = grab(in);
                        if (!overflowed) {
                            buffer = buffer.concat(chunk);
                            split();
                        }
                        emitOrPull();
                        if (overflowed && !hasBeenPulled(in) && !isClosed(in)) {
                            pull(in); // discard the rest until the session closes the connection
                        }
                    }

                    @Override
                    public void onUpstreamFinish() {
                        // an unterminated last line is not a frame; lines already split still go out
                        if (ready.isEmpty()) {
                            completeStage();
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        emitOrPull();
                    }
                });
            }

            private void split() {
                while (!overflowed) {
                    int nl = buffer.indexOf(NL, scanned);
                    if (nl < 0) {
                        scanned = buffer.length();
                        if (buffer.length() > maxLineBytes + 1) { // + 1: a longest line's '\r' may come before its '\n'
                            tooLong();
                        }
                        return;
                    }
                    int end = nl > 0 && buffer.apply(nl - 1) == '\r' ? nl - 1 : nl;
                    if (end > maxLineBytes) {
                        tooLong();
                        return;
                    }
                    ByteString line = buffer.slice(0, end);
                    buffer = buffer.drop(nl + 1);
                    scanned = 0;
                    if (!blank(line)) {
                        T element = onLine.apply(line);
                        if (element != null) { // null: the line was taken in here, nothing goes on
                            ready.add(element);
                        }
                    }
                }
            }

            private void tooLong() {
                overflowed = true;
                buffer = ByteString.emptyByteString();
                ready.add(onTooLong);
            }

            private void emitOrPull() {
                if (!isAvailable(out)) {
                    return;
                }
                T next = ready.poll();
                if (next != null) {
                    push(out, next);
                    if (ready.isEmpty() && isClosed(in)) {
                        completeStage();
                    }
                } else if (isClosed(in)) {
                    completeStage();
                } else if (!hasBeenPulled(in)) {
                    pull(in);
                }
            }
        };
    }

    private static boolean blank(ByteString line) {
        for (int i = 0; i < line.length(); i++) {
            byte b = line.apply(i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
