package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.DeviceIds;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device id is made once, kept beside the saved session, and survives renames and restarts. */
class DeviceIdTest {

    @TempDir
    Path config;

    @Test
    void madeOnceAtFirstStartThenReadBackTheSame() throws Exception {
        Path file = DeviceId.fileBeside(config.resolve("chat-client").resolve("session.properties"));
        assertThat(file.getParent()).isEqualTo(config.resolve("chat-client"));
        DeviceId first = DeviceId.loadOrCreate(file);
        assertThat(DeviceIds.valid(first.id())).isTrue();
        assertThat(first.name()).isNotBlank();
        assertThat(Files.isRegularFile(file)).isTrue();

        DeviceId again = DeviceId.loadOrCreate(file);
        assertThat(again).isEqualTo(first);

        first.named("Ana's laptop").save(file);
        DeviceId renamed = DeviceId.loadOrCreate(file);
        assertThat(renamed.id()).isEqualTo(first.id());
        assertThat(renamed.name()).isEqualTo("Ana's laptop");
    }

    @Test
    void anotherInstallationIsAnotherDeviceAndABrokenFileMakesANewOne() throws Exception {
        DeviceId a = DeviceId.loadOrCreate(config.resolve("a").resolve("device.properties"));
        DeviceId b = DeviceId.loadOrCreate(config.resolve("b").resolve("device.properties"));
        assertThat(a.id()).isNotEqualTo(b.id());

        Path broken = config.resolve("c").resolve("device.properties");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "device=not valid!\n");
        DeviceId made = DeviceId.loadOrCreate(broken);
        assertThat(DeviceIds.valid(made.id())).isTrue();
        assertThat(DeviceId.loadOrCreate(broken)).isEqualTo(made);
    }
}
