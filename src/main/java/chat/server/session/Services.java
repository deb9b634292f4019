package chat.server.session;

import chat.server.Settings;
import chat.server.accounts.Accounts;
import chat.server.groups.Group;
import chat.server.mailbox.Mailboxes;
import chat.server.presence.Presence;
import java.time.Clock;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

/** What every session talks to: the node's long-lived actors (and the groups' owners) and the user directory. */
public record Services(Settings settings, Mailboxes mailboxes, ActorRef<Accounts.Command> accounts,
                      Directory directory, Function<String, RecipientRef<Presence.Command>> presence,
                      Function<String, RecipientRef<Group.Command>> groups, Clock clock) {
}
