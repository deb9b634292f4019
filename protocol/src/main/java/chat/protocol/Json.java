package chat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Collection;

/** Small writing helpers so that frames leave out absent optional fields in one line each. */
final class Json {

    private Json() {
    }

    static void optString(JsonGenerator out, String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }

    static void optLong(JsonGenerator out, String name, Long value) throws IOException {
        if (value != null) {
            out.writeNumberField(name, value.longValue());
        }
    }

    static void optInt(JsonGenerator out, String name, Integer value) throws IOException {
        if (value != null) {
            out.writeNumberField(name, value.intValue());
        }
    }

    static void longs(JsonGenerator out, String name, Collection<Long> values) throws IOException {
        out.writeArrayFieldStart(name);
        for (Long v : values) {
            out.writeNumber(v.longValue());
        }
        out.writeEndArray();
    }
}
