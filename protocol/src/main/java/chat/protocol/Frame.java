package chat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One line of the wire protocol: a JSON object whose `type` names it. */
public interface Frame {

    /** The value of the `type` field. */
    String type();

    /**
     * Writes every field but `type`; absent optional fields are left out, never written as null.
     * ServerFrame and ClientFrame are encoded from their Jackson annotations and need not override
     * this; a frame defined elsewhere (a load generator's seed-format frame) may write its own.
     */
    default void writeFields(JsonGenerator out) throws IOException {
        FrameCodec.writeFieldsOf(this, out);
    }
}
