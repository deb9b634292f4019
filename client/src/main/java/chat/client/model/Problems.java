package chat.client.model;

import chat.protocol.ErrorCode;

/** What a refusal from the server means, in words for people: a refused message's, a group change's. */
public final class Problems {

    private Problems() {
    }

    /** Why a message was not sent; `said` is the server's own text, used when the code is not one known here. */
    public static String message(String code, String said) {
        ErrorCode c = ErrorCode.fromWire(code);
        if (c == null) {
            return said == null ? "the server refused it" : said;
        }
        return switch (c) {
            case UNKNOWN_USER -> "there is no such user";
            case CONTENT_TOO_LARGE -> "the message is too long";
            case MAILBOX_FULL -> "their mailbox is full; try again later";
            case NOT_A_MEMBER -> "you are not a member of this group any more";
            case UNKNOWN_GROUP -> "this group does not exist any more";
            case FORBIDDEN -> "only the group's admins may do that";
            case TOO_MANY_MEMBERS -> "the group has too many members";
            default -> said == null ? c.wire().replace('_', ' ') : said;
        };
    }

    /** Why a group could not be made or changed (an `error` naming create_group, group_update or leave_group). */
    public static String group(String code, String said) {
        ErrorCode c = ErrorCode.fromWire(code);
        if (c == null) {
            return said == null ? "The server refused it." : said;
        }
        return switch (c) {
            case UNKNOWN_USER -> "One of those people has no account" + (said == null ? "." : ": " + said);
            case FORBIDDEN -> "Only the group's admins can change its members or its name.";
            case NOT_A_MEMBER -> "You are not a member of this group any more.";
            case UNKNOWN_GROUP -> "This group does not exist any more.";
            case TOO_MANY_MEMBERS -> "That would make the group too large.";
            case BAD_FRAME -> "A group name is 1 to 64 characters, and a group needs at least one other member.";
            case RATE_LIMITED -> "Too many changes at once. Wait a moment, then try again.";
            default -> said == null ? "The server refused it (" + c.wire() + ")." : said;
        };
    }
}
