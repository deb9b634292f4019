package chat.protocol;

/**
 * A frame the server cannot act on. Carries the `error` frame's fields so the session can answer it
 * and go on: a bad frame never costs the connection (only an oversize one does).
 */
public final class ProtocolError extends Exception {

    // The codes an `error` frame carries, as strings for the callers that compare them; see ErrorCode.
    public static final String BAD_FRAME = ErrorCode.BAD_FRAME.wire();
    public static final String UNKNOWN_TYPE = ErrorCode.UNKNOWN_TYPE.wire();
    public static final String FRAME_TOO_LARGE = ErrorCode.FRAME_TOO_LARGE.wire();
    public static final String NOT_AUTHENTICATED = ErrorCode.NOT_AUTHENTICATED.wire();
    public static final String RATE_LIMITED = ErrorCode.RATE_LIMITED.wire();
    public static final String INTERNAL = ErrorCode.INTERNAL.wire();

    private final String code;
    private final String ref;

    public ProtocolError(String code, String message, String ref) {
        super(message, null, false, false); // no stack trace: these are expected, and come from the network
        this.code = code;
        this.ref = ref;
    }

    public ProtocolError(ErrorCode code, String message, String ref) {
        this(code.wire(), message, ref);
    }

    public static ProtocolError badFrame(String message, String ref) {
        return new ProtocolError(ErrorCode.BAD_FRAME, message, ref);
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
