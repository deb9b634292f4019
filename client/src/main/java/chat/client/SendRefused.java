package chat.client;

import chat.protocol.ServerFrame;

/** The server refused a message for good; `code` is its message_error code. */
public final class SendRefused extends Exception {

    private final String code;

    public SendRefused(ServerFrame.MessageError error) {
        super(error.message());
        this.code = error.code();
    }

    public String code() {
        return code;
    }
}
