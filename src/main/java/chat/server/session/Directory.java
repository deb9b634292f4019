package chat.server.session;

import chat.protocol.ServerFrame;
import chat.server.presence.Presence;
import chat.server.presence.Roster;
import chat.protocol.ErrorCode;
import chat.server.store.GroupQueries;
import chat.server.store.MessageQueries;
import chat.server.store.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The answers to a session's questions about people and conversations (user_list, contacts,
 * conversations_response, history_response): store reads on the reader pool joined with the
 * Roster's view of who is online. Every method is asynchronous; none touches a session's state.
 */
public final class Directory {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9_.-]*");
    public static final int MAX_HISTORY_PAGE = 200;
    public static final int DEFAULT_HISTORY_PAGE = 50;
    public static final int DEFAULT_CONVERSATIONS = 50;

    private final MessageQueries queries;
    private final UserStore users;
    private final GroupQueries groups;
    private final Executor reader;
    private final ActorRef<Roster.Command> roster;
    private final Scheduler scheduler;
    private final int userListCap;

    public Directory(MessageQueries queries, UserStore users, GroupQueries groups, Executor reader, ActorRef<Roster.Command> roster,
                     Scheduler scheduler, int userListCap) {
        this.queries = queries;
        this.users = users;
        this.groups = groups;
        this.reader = reader;
        this.roster = roster;
        this.scheduler = scheduler;
        this.userListCap = userListCap;
    }

    /** Users whose name starts with `query`: contacts first, then online users, then the rest, each by name. */
    public CompletionStage<ServerFrame> userList(String me, String query, Integer limit) {
        String prefix = query == null ? "" : query.toLowerCase(Locale.ROOT);
        int n = limit == null ? userListCap : Math.max(0, Math.min(limit, userListCap));
        if (n == 0 || !PREFIX.matcher(prefix).matches()) {
            return CompletableFuture.completedFuture(new ServerFrame.UserList(List.of()));
        }
        return read(() -> queries.contacts(me)).thenCompose(allContacts -> {
            List<MessageQueries.UserRow> contacts = allContacts.stream()
                    .filter(c -> c.username().startsWith(prefix)).toList();
            List<String> contactNames = contacts.stream().map(MessageQueries.UserRow::username).toList();
            CompletionStage<Roster.Statuses> contactStatus = lookup(contactNames);
            CompletionStage<Roster.Statuses> online = AskPattern.ask(roster,
                    replyTo -> new Roster.Matching(prefix, n + contacts.size(), replyTo), ASK_TIMEOUT, scheduler);
            return contactStatus.thenCompose(cs -> online.thenCompose(on -> {
                int enough = n + contacts.size() + on.users().size();
                return read(() -> queries.usersByPrefix(prefix, null, enough)).thenApply(rows -> {
                    List<ServerFrame.UserInfo> out = new ArrayList<>(n);
                    Set<String> listed = new HashSet<>();
                    for (MessageQueries.UserRow c : contacts) {
                        add(out, listed, n, info(c.username(), cs.users().get(c.username()), c.lastSeen()));
                    }
                    for (String u : on.users().keySet()) {
                        add(out, listed, n, new ServerFrame.UserInfo(u, ServerFrame.ONLINE, null));
                    }
                    for (MessageQueries.UserRow r : rows) {
                        add(out, listed, n, new ServerFrame.UserInfo(r.username(), ServerFrame.OFFLINE, r.lastSeen()));
                    }
                    return new ServerFrame.UserList(out);
                });
            }));
        });
    }

    public CompletionStage<ServerFrame> contacts(String me) {
        return read(() -> queries.contacts(me)).thenCompose(rows -> lookup(rows.stream()
                .map(MessageQueries.UserRow::username).toList()).thenApply(statuses -> {
                    List<ServerFrame.UserInfo> out = new ArrayList<>(rows.size());
                    for (MessageQueries.UserRow r : rows) {
                        out.add(info(r.username(), statuses.users().get(r.username()), r.lastSeen()));
                    }
                    return new ServerFrame.Contacts(out);
                }));
    }

    public CompletionStage<ServerFrame> conversations(String me, Integer limit) {
        return conversations(me, limit, false);
    }

    /** `withGroups` (level 3): the user's groups beside its peers, all by their newest message. */
    public CompletionStage<ServerFrame> conversations(String me, Integer limit, boolean withGroups) {
        int n = limit == null ? DEFAULT_CONVERSATIONS : Math.max(0, Math.min(limit, userListCap));
        CompletionStage<ServerFrame> peers = peerConversations(me, n);
        if (!withGroups) {
            return peers;
        }
        return peers.thenCombine(read(() -> groups.conversations(me)), (frame, inGroups) -> {
            record Row(ServerFrame.Conversation conversation, long newest) {
            }
            List<Row> rows = new ArrayList<>();
            for (ServerFrame.Conversation c : ((ServerFrame.ConversationsResponse) frame).conversations()) {
                rows.add(new Row(c, c.last() == null ? 0 : c.last().msgId()));
            }
            inGroups.forEach(g -> rows.add(new Row(g.conversation(), g.newest())));
            rows.sort((a, b) -> Long.compare(b.newest(), a.newest()));
            return new ServerFrame.ConversationsResponse(rows.subList(0, Math.min(n, rows.size())).stream()
                    .map(Row::conversation).toList());
        });
    }

    /** groups_response: the user's groups now. */
    public CompletionStage<ServerFrame> groups(String me) {
        return read(() -> new ServerFrame.GroupsResponse(groups.groupsOf(me)));
    }

    /** history with group_id: what was sent while the user was a member; unknown_group or not_a_member otherwise. */
    public CompletionStage<ServerFrame> groupHistory(String me, String groupId, Long before, Integer limit) {
        int n = limit == null ? DEFAULT_HISTORY_PAGE : Math.max(1, Math.min(limit, MAX_HISTORY_PAGE));
        return read(() -> {
            GroupQueries.GroupHistory h = groups.history(me, groupId, before, n);
            if (!h.known()) {
                return new ServerFrame.Error(ErrorCode.UNKNOWN_GROUP, "there is no group '" + groupId + "'", "history");
            }
            if (!h.member()) {
                return new ServerFrame.Error(ErrorCode.NOT_A_MEMBER, "you are not a member of this group", "history");
            }
            return h.page();
        });
    }

    private CompletionStage<ServerFrame> peerConversations(String me, int n) {
        record Rows(List<MessageQueries.Conversation> conversations, Map<String, Long> lastSeen) {
        }
        return read(() -> {
            List<MessageQueries.Conversation> rows = queries.conversations(me, n);
            return new Rows(rows, queries.lastSeen(rows.stream().map(MessageQueries.Conversation::peer).toList()));
        }).thenCompose(found -> {
            List<MessageQueries.Conversation> rows = found.conversations();
            Map<String, Long> seen = found.lastSeen();
            return lookup(rows.stream().map(MessageQueries.Conversation::peer).toList()).thenApply(statuses -> {
                List<ServerFrame.Conversation> out = new ArrayList<>(rows.size());
                for (MessageQueries.Conversation c : rows) {
                    ServerFrame.UserInfo who = info(c.peer(), statuses.users().get(c.peer()), seen.get(c.peer()));
                    out.add(new ServerFrame.Conversation(c.peer(), who.status(), who.lastSeen(), c.last(), c.unread()));
                }
                return new ServerFrame.ConversationsResponse(out);
            });
        });
    }

    public CompletionStage<ServerFrame> history(String me, String peer, Long before, Integer limit) {
        int n = limit == null ? DEFAULT_HISTORY_PAGE : Math.max(1, Math.min(limit, MAX_HISTORY_PAGE));
        return read(() -> queries.history(me, peer, before, n));
    }

    /**
     * devices_response: the user's known devices, online ones with the time of their current login.
     * The device `default` of levels 1 and 2 is listed when it has a row (accounts older than level
     * 3) or is online.
     */
    public CompletionStage<ServerFrame> devices(String me, String current, RecipientRef<Presence.Command> presence) {
        return devices(me, current, presence, null);
    }

    /** As above, without `revoked` (just forgotten, its connection may not have closed yet). */
    public CompletionStage<ServerFrame> devices(String me, String current, RecipientRef<Presence.Command> presence,
                                                String revoked) {
        CompletionStage<Presence.OnlineDevices> online = AskPattern.ask(presence, Presence.GetOnlineDevices::new,
                ASK_TIMEOUT, scheduler);
        return read(() -> users.devices(me)).thenCombine(online, (rows, on) -> {
            List<ServerFrame.DeviceInfo> out = new ArrayList<>();
            Set<String> listed = new HashSet<>();
            listed.add(revoked);
            for (UserStore.DeviceRow r : rows) {
                if (r.device().equals(revoked)) {
                    continue;
                }
                Long since = on.since().get(r.device());
                listed.add(r.device());
                out.add(new ServerFrame.DeviceInfo(r.device(), r.deviceName(), since != null,
                        since != null ? since : r.lastSeen(), r.device().equals(current)));
            }
            on.since().forEach((device, since) -> {
                if (!listed.contains(device)) {
                    out.add(new ServerFrame.DeviceInfo(device, null, true, since, device.equals(current)));
                }
            });
            return new ServerFrame.DevicesResponse(out);
        });
    }

    private static void add(List<ServerFrame.UserInfo> out, Set<String> listed, int n, ServerFrame.UserInfo info) {
        if (out.size() < n && listed.add(info.username())) {
            out.add(info);
        }
    }

    private static ServerFrame.UserInfo info(String user, Roster.Status status, Long storedLastSeen) {
        if (status != null && status.online()) {
            return new ServerFrame.UserInfo(user, ServerFrame.ONLINE, null);
        }
        Long lastSeen = status != null && status.lastSeen() != null ? status.lastSeen() : storedLastSeen;
        return new ServerFrame.UserInfo(user, ServerFrame.OFFLINE, lastSeen);
    }

    private CompletionStage<Roster.Statuses> lookup(Collection<String> users) {
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(new Roster.Statuses(Map.of()));
        }
        return AskPattern.ask(roster, replyTo -> new Roster.Lookup(List.copyOf(users), replyTo), ASK_TIMEOUT, scheduler);
    }

    private <T> CompletableFuture<T> read(Supplier<T> query) {
        return CompletableFuture.supplyAsync(query, reader);
    }
}
