package chat.server;

/**
 * Marks the messages that may travel between cluster nodes: they are serialized with Jackson as
 * CBOR (see serialization-bindings in reference.conf). Java serialization stays off. A frame they
 * carry (chat.protocol.ServerFrame) is bound by its own Jackson annotations, the same binding as on
 * the wire, so no message needs a serializer of its own.
 */
public interface CborSerializable {
}
