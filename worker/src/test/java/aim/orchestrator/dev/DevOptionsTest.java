package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.dev.sim.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DevOptionsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    DevOptions o = DevOptions.parse();
    assertThat(o.temporalPort).isEqualTo(7233);
    assertThat(o.kubePort).isEqualTo(6443);
    assertThat(o.simulator()).isEqualTo(SimulatorOptions.defaults());
  }

  @Test
  void theSimulatedClusterIsShapedByFlags() {
    SimulatorOptions s =
        DevOptions.parse("--gpu-nodes=4", "--gpu-model=MI355X", "--reaction-delay=50ms", "--gateway-port=-1", "--storage-capacity=500Gi")
            .simulator();
    assertThat(s.gpuNodes()).isEqualTo(4);
    assertThat(s.gpuModel()).isEqualTo("MI355X");
    assertThat(s.reactionDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(s.gatewayPort()).isEqualTo(SimulatorOptions.GATEWAY_DISABLED);
    assertThat(s.storageCapacity()).isEqualTo(new Quantity("500Gi"));
  }

  @Test
  void theDownloadRateIsAQuantityPerSecond() {
    assertThat(DevOptions.parse().downloadBytesPerSecond()).isZero();
    assertThat(DevOptions.parse("--download-rate=64Ki").downloadBytesPerSecond()).isEqualTo(65536);
    assertThat(DevOptions.parse("--download-rate=1M").downloadBytesPerSecond()).isEqualTo(1_000_000);
    DevOptions zero = new DevOptions();
    zero.downloadRate = "0";
    org.assertj.core.api.Assertions.assertThatThrownBy(zero::downloadBytesPerSecond).hasMessageContaining("--download-rate must be a positive quantity");
    zero.downloadRate = "fast";
    org.assertj.core.api.Assertions.assertThatThrownBy(zero::downloadBytesPerSecond).hasMessageContaining("not fast");
  }

  @Test
  void helpExitsQuietly() {
    assertThat(DevOptions.parse("--help")).isNull();
  }

  @Test
  void payloadsStayPlainUnlessAsked() {
    assertThat(DevOptions.parse().payloadCodec()).isFalse();
    assertThat(DevOptions.parse("--encrypt-payloads").payloadCodec()).isTrue();
    assertThat(DevOptions.parse("--codec-keys=/tmp/keys").payloadCodec()).isTrue();
  }

  @Test
  void theDevCodecKeyIsMadeOnceAndAcceptedByTheConnection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path keys = DevCodecKeys.ensure(dir.resolve("codec-keys"));
    String first = java.nio.file.Files.readString(keys.resolve(DevCodecKeys.DEV_KEY_ID));
    DevCodecKeys.ensure(keys);

    assertThat(java.nio.file.Files.readString(keys.resolve(DevCodecKeys.DEV_KEY_ID))).isEqualTo(first);
    var connection =
        aim.orchestrator.temporal.TemporalConnection.of(
            aim.orchestrator.temporal.TemporalProperties.plain("127.0.0.1:7233", "default")
                .withCodec(aim.orchestrator.temporal.TemporalProperties.Codec.keys(keys, "")));
    assertThat(connection.codec()).hasValueSatisfying(c -> assertThat(c.currentKeyId()).isEqualTo(DevCodecKeys.DEV_KEY_ID));
    assertThat(DevCodecKeys.args(keys)).containsExactly("--aim.temporal.codec.enabled=true", "--aim.temporal.codec.key-dir=" + keys.toAbsolutePath());
  }
}
