package chat.server.net;

import org.apache.pekko.util.ByteString;

/**
 * One encoded frame on its way to the socket. `writtenId` (a level 1 message's msg_id), `mark` (a
 * point in a replay) and `probe` (an empty element behind a backlog) ask the stream to tell the
 * session when they reach the TCP stage: that is when a level 1 message counts as delivered, when
 * the next replay page may be read, and when the session may read its client's frames again.
 */
record Outbound(ByteString bytes, long writtenId, boolean mark, boolean probe) {

    static Outbound flowProbe() {
        return new Outbound(ByteString.emptyByteString(), 0, false, true);
    }

    boolean tracked() {
        return writtenId != 0 || mark || probe;
    }
}
