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
            p.sent(id);
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
            p.sent(id);
            due = p.acked(List.of(id));
        }
        assertThat(due).isTrue();
        assertThat(p.toStore()).isEqualTo(DevicePosition.WRITE_EVERY);
    }
}
