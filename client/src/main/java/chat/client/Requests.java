package chat.client;

import chat.protocol.ClientFrame;
import chat.protocol.ServerFrame;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The questions waiting for the server's answer (register, history, users, contacts, ...). The
 * protocol's answers carry no request id, so only one question of a kind is out at a time: the
 * next one goes when the answer (or an `error` naming the question's type) comes. Used on the
 * client's thread only.
 */
final class Requests {

    private record Request(ClientFrame frame, CompletableFuture<ServerFrame> answer) {
    }

    private final Map<String, ArrayDeque<Request>> waiting = new HashMap<>();
    private final Consumer<ClientFrame> out;

    /** `out` writes a frame to the current connection. */
    Requests(Consumer<ClientFrame> out) {
        this.out = out;
    }

    /** Sends `frame` (now, or when the question of its kind before it is answered); completes with the frame of `answerType`. */
    CompletableFuture<ServerFrame> ask(ClientFrame frame, String answerType) {
        CompletableFuture<ServerFrame> answer = new CompletableFuture<>();
        ArrayDeque<Request> queue = waiting.computeIfAbsent(answerType, t -> new ArrayDeque<>());
        queue.add(new Request(frame, answer));
        if (queue.size() == 1) {
            out.accept(frame);
        }
        return answer;
    }

    /** True if `frame` answered a question (which then completes). */
    boolean answer(ServerFrame frame) {
        ArrayDeque<Request> queue = waiting.get(frame.type());
        if (queue == null || queue.isEmpty()) {
            return false;
        }
        queue.poll().answer().complete(frame);
        sendNext(queue);
        return true;
    }

    /** An `error` frame: if it names a question's type (`ref`), that question fails with the server's code. */
    void refused(ServerFrame.Error e) {
        String answerType = e.ref() == null ? null : switch (e.ref()) {
            case "history" -> "history_response";
            case "get_users" -> "user_list";
            case "conversations" -> "conversations_response";
            case "add_contact", "remove_contact", "get_contacts" -> "contacts";
            case "register" -> "register_response";
            case "groups" -> "groups_response";
            case "group_receipts" -> "group_receipts_response";
            case "devices", "revoke_device" -> "devices_response";
            default -> null;
        };
        ArrayDeque<Request> queue = answerType == null ? null : waiting.get(answerType);
        if (queue != null && !queue.isEmpty()) {
            queue.poll().answer().completeExceptionally(new ServerRefused(e.code(), e.message()));
            sendNext(queue);
        }
    }

    /** The connection is gone: no answer can come any more. */
    void failAll(Exception why) {
        waiting.values().forEach(q -> q.forEach(r -> r.answer().completeExceptionally(why)));
        waiting.clear();
    }

    private void sendNext(ArrayDeque<Request> queue) {
        Request next = queue.peek();
        if (next != null) {
            out.accept(next.frame());
        }
    }
}
