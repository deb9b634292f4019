package chat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One line of the wire protocol: a JSON object whose `type` names it. */
public interface Frame {

    /** The value of the `type` field. */
    String type();

    /** Writes every field but `type`; absent optional fields are left out, never written as null. */
    void writeFields(JsonGenerator out) throws IOException;
}
