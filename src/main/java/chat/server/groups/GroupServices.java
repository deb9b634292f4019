package chat.server.groups;

import chat.server.Settings;
import chat.server.WorkPools;
import chat.server.mailbox.Mailboxes;
import chat.server.presence.Presence;
import chat.server.store.GroupQueries;
import java.time.Clock;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/** What every group needs from the node: its partition to write through, the members' Presence, the store's reads. */
public record GroupServices(Settings settings, Mailboxes mailboxes, Function<String, RecipientRef<Presence.Command>> presence,
                            GroupQueries queries, WorkPools pools, Clock clock) {
}
