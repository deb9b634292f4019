package chat.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A device's position: everything up to it sent and acked, whatever order the acks come in. */
class DevicePositionTest {

    @Test
    void thePositionStopsBeforeTheFirstUnackedDeliveryAndIsStoredOnlyWhenItMoved() {
        DevicePosition p = new DevicePosition();
        assertThat(p.toStore()).as("nothing sent yet").isEqualTo(-1);
        for (long id : List.of(3L, 5L, 8L, 13L)) {
            p.sent(id, true);
        }
        p.acked(List.of(5L, 8L));
        assertThat(p.position()).as("3 is not acked yet").isEqualTo(2);
        p.acked(List.of(3L));
        assertThat(p.position()).isEqualTo(12);
        assertThat(p.toStore()).isEqualTo(12);
        assertThat(p.toStore()).as("unchanged since stored").isEqualTo(-1);
        p.acked(List.of(13L, 99L)); // 99 was never sent to this device: it moves nothing
        assertThat(p.position()).isEqualTo(13);
    }

    @Test
    void enoughAcksAskForThePositionToBeStoredBeforeTheHeartbeat() {
        DevicePosition p = new DevicePosition();
        boolean due = false;
        for (long id = 1; id <= DevicePosition.WRITE_EVERY; id++) {
            p.sent(id, true);
            due = p.acked(List.of(id));
        }
        assertThat(due).isTrue();
        assertThat(p.toStore()).isEqualTo(DevicePosition.WRITE_EVERY);
    }

    @Test
    void onlyTheAcksOfOneToOneMessagesToTheUserMarkAStatusAndAnIdNeverSentIsMarkedAsBefore() {
        DevicePosition p = new DevicePosition();
        p.sent(1, true);   // bob -> this user
        p.sent(2, false);  // a group's message
        p.sent(3, false);  // a copy of what this user sent from another device
        assertThat(p.statusMarks(List.of(1L, 2L, 3L, 7L))).containsExactly(1L, 7L);
        p.acked(List.of(1L, 2L, 3L));
        assertThat(p.position()).as("every ack moves the position").isEqualTo(3);
        assertThat(p.statusMarks(List.of(2L))).as("known once: a second ack of 2 is marked like any unknown id")
                .containsExactly(2L);
    }
}
