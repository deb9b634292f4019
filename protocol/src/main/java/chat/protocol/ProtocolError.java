package chat.protocol;

/**
 * A frame the server cannot act on. Carries the `error` frame's fields so the session can answer it
 * and go on: a bad frame never costs the connection (only an oversize one does).
 */
public final class ProtocolError extends Exception {

    public static final String BAD_FRAME = "bad_frame";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    public static final String NOT_AUTHENTICATED = "not_authenticated";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String INTERNAL = "internal";

    private final String code;
    private final String ref;

    public ProtocolError(String code, String message, String ref) {
        super(message, null, false, false); // no stack trace: these are expected, and come from the network
        this.code = code;
        this.ref = ref;
    }

    public static ProtocolError badFrame(String message, String ref) {
        return new ProtocolError(BAD_FRAME, message, ref);
    }

    public String code() {
        return code;
    }

    /** The `type` of the offending frame, or null when it could not be read. */
    public String ref() {
        return ref;
    }

    public ServerFrame.Error toFrame() {
        return new ServerFrame.Error(code, getMessage(), ref);
    }
}
