package aim.orchestrator.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-256-GCM over whole payloads: round trip, tamper detection, key rotation, unknown keys, key folders. */
class AesGcmPayloadCodecTest {
  private static final byte[] K1 = key();
  private static final byte[] K2 = key();
  private static final Payload JSON = DefaultDataConverter.STANDARD_INSTANCE.toPayload(Map.of("name", "qwen3-chat", "replicas", 2)).orElseThrow();

  @Test
  void encryptsTheWholePayloadAndDecryptsItBack() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");

    Payload sealed = codec.encode(List.of(JSON)).get(0);

    assertThat(sealed.getMetadataMap())
        .containsOnlyKeys("encoding", AesGcmPayloadCodec.KEY_ID, AesGcmPayloadCodec.CIPHER)
        .containsEntry("encoding", ByteString.copyFromUtf8("binary/encrypted"))
        .containsEntry(AesGcmPayloadCodec.KEY_ID, ByteString.copyFromUtf8("k1"))
        .containsEntry(AesGcmPayloadCodec.CIPHER, ByteString.copyFromUtf8("AES-256-GCM"));
    // nonce (12) + the serialized payload + tag (16); neither the data nor its json/plain encoding is visible
    assertThat(sealed.getData().size()).isEqualTo(12 + JSON.getSerializedSize() + 16);
    assertThat(sealed.getData().toStringUtf8()).doesNotContain("qwen3-chat").doesNotContain("json/plain");
    assertThat(codec.decode(List.of(sealed))).containsExactly(JSON);
    assertThat(AesGcmPayloadCodec.isEncrypted(sealed)).isTrue();
    assertThat(AesGcmPayloadCodec.isEncrypted(JSON)).isFalse();
  }

  @Test
  void everyEncryptionUsesAFreshNonce() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");
    List<ByteString> nonces = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      nonces.add(codec.encode(List.of(JSON)).get(0).getData().substring(0, 12));
    }
    assertThat(nonces).doesNotHaveDuplicates();
  }

  @Test
  void anAlteredCiphertextFailsItsTag() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");
    Payload sealed = codec.encode(List.of(JSON)).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[20] ^= 0x01;
    Payload altered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(altered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessage(
            "a payload encrypted with key 'k1' failed authentication (GCM tag mismatch): it was altered, or encrypted "
                + "with a different key under the same id");
  }

  @Test
  void aPayloadRelabelledWithAnotherKeyIdFailsToo() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1, "k2", K1), "k1");
    Payload sealed = codec.encode(List.of(JSON)).get(0);
    // Same key bytes under another id: the key id is authenticated data, so the tag does not verify.
    Payload relabelled = sealed.toBuilder().putMetadata(AesGcmPayloadCodec.KEY_ID, ByteString.copyFromUtf8("k2")).build();

    assertThatThrownBy(() -> codec.decode(List.of(relabelled))).hasMessageContaining("key 'k2' failed authentication");
  }

  @Test
  void keysRotate_newPayloadsUseTheCurrentKeyAndOldOnesStillDecrypt() {
    AesGcmPayloadCodec before = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");
    AesGcmPayloadCodec during = AesGcmPayloadCodec.of(Map.of("k1", K1, "k2", K2), "k1");
    AesGcmPayloadCodec after = AesGcmPayloadCodec.of(Map.of("k1", K1, "k2", K2), "k2");
    Payload old = before.encode(List.of(JSON)).get(0);
    Payload fresh = after.encode(List.of(JSON)).get(0);

    assertThat(fresh.getMetadataOrThrow(AesGcmPayloadCodec.KEY_ID).toStringUtf8()).isEqualTo("k2");
    assertThat(after.decode(List.of(old, fresh))).containsExactly(JSON, JSON);
    // Workers that already know k2 but still encrypt with k1 read what the rotated ones write.
    assertThat(during.decode(List.of(fresh))).containsExactly(JSON);
    assertThat(after.currentKeyId()).isEqualTo("k2");
    assertThat(after.keyIds()).containsExactly("k1", "k2");
  }

  @Test
  void aPayloadOfAnUnknownKeyIdFailsNamingTheKey() {
    Payload fresh = AesGcmPayloadCodec.of(Map.of("k2", K2), "k2").encode(List.of(JSON)).get(0);
    AesGcmPayloadCodec old = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");

    assertThatThrownBy(() -> old.decode(List.of(fresh)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessage("a payload is encrypted with key id 'k2', which is not among the configured keys [k1] (aim.temporal.codec.key-dir)");
  }

  @Test
  void plainPayloadsPassThroughDecoding() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");
    assertThat(codec.decode(List.of(JSON))).containsExactly(JSON);
  }

  @Test
  void encryptedPayloadsWithoutAKeyIdOrTooShortAreRejected() {
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1");
    Payload noId = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/encrypted")).build();
    Payload tooShort = noId.toBuilder().putMetadata(AesGcmPayloadCodec.KEY_ID, ByteString.copyFromUtf8("k1")).setData(ByteString.copyFromUtf8("x")).build();

    assertThatThrownBy(() -> codec.decode(List.of(noId))).hasMessage("an encrypted payload has no encryption-key-id in its metadata");
    assertThatThrownBy(() -> codec.decode(List.of(tooShort))).hasMessage("an encrypted payload (key 'k1') is too short to hold a nonce and a tag");
  }

  @Test
  void keysMustBe32BytesUnderPlainIds() {
    assertThatThrownBy(() -> AesGcmPayloadCodec.of(Map.of("k1", new byte[16]), "k1"))
        .isInstanceOf(TemporalSettingsException.class)
        .hasMessage("Invalid Temporal settings: key 'k1' has 16 bytes; AES-256 needs 32");
    assertThatThrownBy(() -> AesGcmPayloadCodec.of(Map.of("k/1", K1), "k/1")).hasMessageContaining("key id 'k/1' must match");
    assertThatThrownBy(() -> AesGcmPayloadCodec.of(Map.of("k1", K1), "k9")).hasMessageContaining("the current key id 'k9' is not among the keys [k1]");
  }

  @Test
  void readsAKeyFolderAsAMountedSecretLaysItOut(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.000000001"));
    Files.writeString(data.resolve("k1"), Base64.getEncoder().encodeToString(K1) + "\n");
    Files.writeString(data.resolve("k2"), Base64.getEncoder().encodeToString(K2));
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(dir.resolve("k1"), Path.of("..data/k1"));
    Files.createSymbolicLink(dir.resolve("k2"), Path.of("..data/k2"));

    List<String> problems = new ArrayList<>();
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.toString(), "k2", false), problems);

    assertThat(problems).isEmpty();
    assertThat(codec.keyIds()).containsExactly("k1", "k2");
    assertThat(codec.currentKeyId()).isEqualTo("k2");
    Payload old = AesGcmPayloadCodec.of(Map.of("k1", K1), "k1").encode(List.of(JSON)).get(0);
    assertThat(codec.decode(List.of(old))).containsExactly(JSON);
    assertThat(codec.toString()).isEqualTo("AES-256-GCM payload codec (current key 'k2', keys [k1, k2])");
  }

  @Test
  void keyFolderProblemsNameTheSettingAndTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("short"), Base64.getEncoder().encodeToString(new byte[16]));
    Files.writeString(dir.resolve("text"), "not base64 at all!");
    Files.writeString(dir.resolve("bad name"), Base64.getEncoder().encodeToString(K1));

    List<String> problems = new ArrayList<>();
    assertThat(AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.toString(), "", false), problems)).isNull();

    assertThat(problems)
        .containsExactly(
            "aim.temporal.codec.key-dir: the key file name 'bad name' is its key id and must match [A-Za-z0-9._-]{1,64}",
            "aim.temporal.codec.key-dir: key file " + dir.resolve("short") + " decodes to 16 bytes; AES-256 needs 32 (openssl rand -base64 32)",
            "aim.temporal.codec.key-dir: key file " + dir.resolve("text") + " is not base64 (make one with: openssl rand -base64 32)");
  }

  @Test
  void severalKeysNeedACurrentOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a"), Base64.getEncoder().encodeToString(K1));
    Files.writeString(dir.resolve("b"), Base64.getEncoder().encodeToString(K2));
    List<String> problems = new ArrayList<>();

    assertThat(AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.toString(), "", false), problems)).isNull();
    assertThat(AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.toString(), "c", false), problems)).isNull();
    assertThat(AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.resolve("none").toString(), "", false), problems)).isNull();
    assertThat(AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, "", "", false), problems)).isNull();

    assertThat(problems)
        .containsExactly(
            "aim.temporal.codec.current-key-id is required: " + dir + " holds 2 keys [a, b]",
            "aim.temporal.codec.current-key-id: 'c' is not among the keys in " + dir + " [a, b]",
            "aim.temporal.codec.key-dir: " + dir.resolve("none") + " does not exist",
            "aim.temporal.codec.key-dir is required when aim.temporal.codec.enabled is true");
  }

  @Test
  void aSingleKeyIsTheCurrentOneAndTheKeyBytesNeverShow(@TempDir Path dir) throws Exception {
    String encoded = Base64.getEncoder().encodeToString(K1);
    Files.writeString(dir.resolve("only"), encoded);
    AesGcmPayloadCodec codec = AesGcmPayloadCodec.fromDirectory(new TemporalProperties.Codec(true, dir.toString(), "", false), new ArrayList<>());

    assertThat(codec.currentKeyId()).isEqualTo("only");
    assertThat(codec.toString()).doesNotContain(encoded).doesNotContain(new String(K1, StandardCharsets.ISO_8859_1));
  }

  private static byte[] key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
