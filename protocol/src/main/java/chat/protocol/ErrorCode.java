package chat.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Every `code` of PROTOCOL.md with its wire string: those of `error`, `message_error`,
 * `register_response` and `login_response`, level 3's included. Frames carry the wire string (a
 * code a newer server sends must still reach the client); this is the one list of the known ones.
 */
public enum ErrorCode {
    // error
    BAD_FRAME("bad_frame"),
    UNKNOWN_TYPE("unknown_type"),
    FRAME_TOO_LARGE("frame_too_large"),
    NOT_AUTHENTICATED("not_authenticated"),
    RATE_LIMITED("rate_limited"), // also in message_error and login_response
    INTERNAL("internal"), // also in register_response and login_response
    // add_contact's error, and message_error
    UNKNOWN_USER("unknown_user"),
    TOO_MANY_CONTACTS("too_many_contacts"),
    CONTENT_TOO_LARGE("content_too_large"),
    MAILBOX_FULL("mailbox_full"),
    STORE_UNAVAILABLE("store_unavailable"),
    // register_response and login_response
    USER_EXISTS("user_exists"),
    INVALID_USERNAME("invalid_username"),
    INVALID_PASSWORD("invalid_password"),
    BAD_CREDENTIALS("bad_credentials"),
    ALREADY_LOGGED_IN("already_logged_in"),
    // level 3: groups and devices, in error or message_error (too_many_devices in login_response)
    FORBIDDEN("forbidden"),
    NOT_A_MEMBER("not_a_member"),
    UNKNOWN_GROUP("unknown_group"),
    TOO_MANY_MEMBERS("too_many_members"),
    TOO_MANY_DEVICES("too_many_devices");

    private static final Map<String, ErrorCode> BY_WIRE = new HashMap<>();

    static {
        for (ErrorCode c : values()) {
            BY_WIRE.put(c.wire, c);
        }
    }

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The string in a frame's `code` field. */
    public String wire() {
        return wire;
    }

    /** True when a frame's `code` is this one. */
    public boolean is(String code) {
        return wire.equals(code);
    }

    /** The code a frame carries, or null for none or one this version does not know. */
    public static ErrorCode fromWire(String code) {
        return code == null ? null : BY_WIRE.get(code);
    }

    @Override
    public String toString() {
        return wire;
    }
}
