package chat.server;

/**
 * Marks the messages that may travel between cluster nodes: they are serialized with Jackson as
 * CBOR (see serialization-bindings in reference.conf). Java serialization stays off.
 */
public interface CborSerializable {
}
