package chat.server.session;

import org.apache.pekko.util.ByteString;

/**
 * One encoded frame on its way to the socket. `writtenId` (a level 1 message's msg_id) and `mark`
 * (a point in a replay) ask the stream to tell the session when the frame reaches the TCP stage:
 * that is when a level 1 message counts as delivered, and when the next replay page may be read.
 */
record Outbound(ByteString bytes, long writtenId, boolean mark) {

    boolean tracked() {
        return writtenId != 0 || mark;
    }
}
