package chat.client.model;

import java.util.List;

/** What "Message info" says of one of this user's group messages, from the server's `group_receipts_response`. */
public final class GroupReceipts {

    private GroupReceipts() {
    }

    /**
     * "Read by: bob / Delivered to: bob, carol / Not yet: dave". A reader is listed under both when
     * the server says both; `members` are the group's members now, so "Not yet" names those still
     * waiting (the sender is never waiting for their own message).
     */
    public static String text(List<String> delivered, List<String> read, List<String> members, String me) {
        List<String> waiting = members.stream()
                .filter(u -> !u.equals(me) && !delivered.contains(u) && !read.contains(u)).sorted().toList();
        return "Read by: " + list(read) + "\nDelivered to: " + list(delivered)
                + (waiting.isEmpty() ? "" : "\nNot yet: " + list(waiting));
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "nobody yet" : String.join(", ", names);
    }
}
