package chat.server.presence;

import chat.protocol.ServerFrame;
import chat.server.CborSerializable;

/**
 * What a session may be told by its user's Presence (and, for `chat.presence.scope = all`, by the
 * Roster): the whole sub-protocol they may send it, and all of it may cross nodes. It is defined
 * here, by the side that sends it, as Pekko's ChatRoom defines its SessionEvent: a session adapts it
 * into its own protocol, so this package never names the session's (net → session → presence).
 */
public sealed interface SessionNotice extends CborSerializable {

    /** A committed message (or level 3 group event) for the session's user. */
    record Deliver(ServerFrame.Delivery delivery) implements SessionNotice {
    }

    /** Any other frame for the user; a droppable one (typing, presence, ping) is skipped when the socket is backed up. */
    record Push(ServerFrame frame, boolean droppable) implements SessionNotice {
    }

    /** A newer login of the same user took over. */
    record Replaced() implements SessionNotice {
    }

    /** The user is online from `max` other devices already: this login is refused (too_many_devices). */
    record TooManyDevices(int max) implements SessionNotice {
    }

    /** revoke_device from another of the user's devices: this one's token is gone, and so is its session. */
    record Revoked() implements SessionNotice {
    }

    /** Presence has registered the session as the user's live one (the answer to {@link Presence.Connect}). */
    record Connected() implements SessionNotice {
    }
}
