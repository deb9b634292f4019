package chat.client.model;

import chat.protocol.ServerFrame;
import java.util.List;

/** The centred line a group's membership event shows as: "bob added carol", "alice created the group", "carol left". */
public final class GroupEvents {

    private GroupEvents() {
    }

    /** `me` reads as "You" / "you", as people say it of themselves. */
    public static String text(ServerFrame.GroupEvent e, String me) {
        String by = who(e.by(), me, true);
        String users = names(e.users() == null ? List.of() : e.users(), me);
        return switch (e.event()) {
            case ServerFrame.GroupEvent.CREATED -> e.name() == null ? by + " created the group"
                    : by + " created the group “" + e.name() + "”";
            case ServerFrame.GroupEvent.ADDED -> by + " added " + users;
            case ServerFrame.GroupEvent.REMOVED -> by + " removed " + users;
            case ServerFrame.GroupEvent.LEFT -> by + " left";
            case ServerFrame.GroupEvent.RENAMED -> by + " renamed the group to “" + e.name() + "”";
            case ServerFrame.GroupEvent.ADMINS -> users.isEmpty() ? by + " changed the admins"
                    : by + " made the admins " + users;
            default -> by + " changed the group"; // an event of a newer server
        };
    }

    /** "carol", "carol and dave", "carol, dave and erin". */
    static String names(List<String> users, String me) {
        List<String> said = users.stream().map(u -> who(u, me, false)).toList();
        if (said.size() <= 1) {
            return said.isEmpty() ? "" : said.get(0);
        }
        return String.join(", ", said.subList(0, said.size() - 1)) + " and " + said.get(said.size() - 1);
    }

    private static String who(String user, String me, boolean first) {
        if (user == null) {
            return first ? "Someone" : "someone";
        }
        return user.equals(me) ? (first ? "You" : "you") : user;
    }
}
