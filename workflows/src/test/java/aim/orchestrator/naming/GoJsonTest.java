package aim.orchestrator.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.model.AIMMetric;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what Go 1.24's {@code encoding/json} produces for the equivalent Go values. */
class GoJsonTest {

  private enum CacheMode {
    @JsonProperty("Shared")
    SHARED,
    DEDICATED
  }

  @Test
  void scalars() {
    assertThat(GoJson.encode(null)).isEqualTo("null");
    assertThat(GoJson.encode(true)).isEqualTo("true");
    assertThat(GoJson.encode(42)).isEqualTo("42");
    assertThat(GoJson.encode(-7L)).isEqualTo("-7");
    assertThat(GoJson.encode((short) 3)).isEqualTo("3");
    assertThat(GoJson.encode(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
    assertThat(GoJson.encode("ml-team")).isEqualTo("\"ml-team\"");
    assertThat(GoJson.encode("")).isEqualTo("\"\"");
  }

  @Test
  void htmlCharactersAreEscaped() {
    assertThat(GoJson.encode("a<b>&c")).isEqualTo("\"a\\u003cb\\u003e\\u0026c\"");
  }

  @Test
  void quotesBackslashesAndControlCharactersAreEscapedAsGoDoes() {
    assertThat(GoJson.encode("say \"hi\"\\")).isEqualTo("\"say \\\"hi\\\"\\\\\"");
    assertThat(GoJson.encode("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    assertThat(GoJson.encode("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
    assertThat(GoJson.encode("\u007f")).isEqualTo("\"\u007f\"");
  }

  @Test
  void lineAndParagraphSeparatorsAreEscaped() {
    assertThat(GoJson.encode("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void otherUnicodeIsWrittenAsIsAndUnpairedSurrogatesBecomeReplacementCharacters() {
    assertThat(GoJson.encode("caf\u00e9 \ud83d\ude00")).isEqualTo("\"caf\u00e9 \ud83d\ude00\"");
    assertThat(GoJson.encode("a\ud83db")).isEqualTo("\"a\\ufffdb\"");
    assertThat(GoJson.encode("\ude00")).isEqualTo("\"\\ufffd\"");
  }

  @Test
  void listsKeepTheirOrder() {
    assertThat(GoJson.encode(Arrays.asList(2, "a", null, true))).isEqualTo("[2,\"a\",null,true]");
    assertThat(GoJson.encode(List.of())).isEqualTo("[]");
    assertThat(GoJson.encode(new Object[] {"b", null})).isEqualTo("[\"b\",null]");
  }

  @Test
  void mapsBecomeFlatListsWithSortedKeys() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", "2");
    map.put("a", "1");
    map.put("B", 3);
    assertThat(GoJson.encode(map)).isEqualTo("[\"B\",3,\"a\",\"1\",\"b\",\"2\"]");
    assertThat(GoJson.encode(Map.of())).isEqualTo("[]");
  }

  @Test
  void mapKeysSortInUtf8ByteOrder() {
    // U+1F600 sorts before U+E000 in UTF-16 but after it in UTF-8, which is what Go compares.
    Map<String, String> map = new HashMap<>();
    map.put("\ud83d\ude00", "emoji");
    map.put("\ue000", "private");
    assertThat(GoJson.encode(map)).isEqualTo("[\"\ue000\",\"private\",\"\ud83d\ude00\",\"emoji\"]");
  }

  @Test
  void nestedMapsAreFlattenedToo() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("y", 1);
    inner.put("x", List.of("<"));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("z", null);
    outer.put("m", inner);
    List<Object> list = new ArrayList<>();
    list.add(outer);
    assertThat(GoJson.encode(list)).isEqualTo("[[\"m\",[\"x\",[\"\\u003c\"],\"y\",1],\"z\",null]]");
  }

  @Test
  void enumsEncodeAsTheirJsonNames() {
    assertThat(GoJson.encode(AIMMetric.latency)).isEqualTo("\"latency\"");
    assertThat(GoJson.encode(CacheMode.SHARED)).isEqualTo("\"Shared\"");
    assertThat(GoJson.encode(CacheMode.DEDICATED)).isEqualTo("\"DEDICATED\"");
  }

  @Test
  void unsupportedValuesAreRejected() {
    assertThatThrownBy(() -> GoJson.encode(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoJson.encode(new Object())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoJson.encode(Map.of(1, "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only string keys");
    assertThatThrownBy(() -> GoJson.encode(List.of(1.5f))).isInstanceOf(IllegalArgumentException.class);
  }

  // corev1.EnvVar

  @Test
  void envVarWithValue() {
    EnvVar env = new EnvVarBuilder().withName("AWS_ENDPOINT_URL").withValue("http://minio:9000").build();
    assertThat(GoJson.encode(env)).isEqualTo("{\"name\":\"AWS_ENDPOINT_URL\",\"value\":\"http://minio:9000\"}");
  }

  @Test
  void envVarOmitsEmptyValueButNotEmptyName() {
    assertThat(GoJson.encode(new EnvVarBuilder().withName("X").withValue("").build())).isEqualTo("{\"name\":\"X\"}");
    assertThat(GoJson.encode(new EnvVar())).isEqualTo("{\"name\":\"\"}");
  }

  @Test
  void envVarFromSecretKeyRef() {
    EnvVar env =
        new EnvVarBuilder()
            .withName("HF_TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName("hf-secret")
            .withKey("token")
            .withOptional(false)
            .endSecretKeyRef()
            .endValueFrom()
            .build();
    assertThat(GoJson.encode(List.of(env)))
        .isEqualTo(
            "[{\"name\":\"HF_TOKEN\",\"valueFrom\":{\"secretKeyRef\":"
                + "{\"name\":\"hf-secret\",\"key\":\"token\",\"optional\":false}}}]");
  }

  @Test
  void keySelectorOmitsEmptyNameAndNilOptional() {
    EnvVar env =
        new EnvVarBuilder()
            .withName("MODEL")
            .withNewValueFrom()
            .withNewConfigMapKeyRef()
            .withKey("model")
            .endConfigMapKeyRef()
            .endValueFrom()
            .build();
    assertThat(GoJson.encode(env))
        .isEqualTo("{\"name\":\"MODEL\",\"valueFrom\":{\"configMapKeyRef\":{\"key\":\"model\"}}}");
  }

  @Test
  void fieldRefOmitsEmptyApiVersion() {
    EnvVar env =
        new EnvVarBuilder()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build();
    assertThat(GoJson.encode(env))
        .isEqualTo("{\"name\":\"POD\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}");
  }

  @Test
  void resourceFieldRefAlwaysHasADivisor() {
    EnvVar unset =
        new EnvVarBuilder()
            .withName("MEM")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withResource("limits.memory")
            .endResourceFieldRef()
            .endValueFrom()
            .build();
    assertThat(GoJson.encode(unset))
        .isEqualTo(
            "{\"name\":\"MEM\",\"valueFrom\":{\"resourceFieldRef\":"
                + "{\"resource\":\"limits.memory\",\"divisor\":\"0\"}}}");

    EnvVar set =
        new EnvVarBuilder()
            .withName("MEM")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withContainerName("main")
            .withResource("limits.memory")
            .withDivisor(new Quantity("1024Ki"))
            .endResourceFieldRef()
            .endValueFrom()
            .build();
    assertThat(GoJson.encode(set))
        .isEqualTo(
            "{\"name\":\"MEM\",\"valueFrom\":{\"resourceFieldRef\":"
                + "{\"containerName\":\"main\",\"resource\":\"limits.memory\",\"divisor\":\"1Mi\"}}}");
  }

  @Test
  void envVarSourceFieldsFollowGoDeclarationOrder() {
    EnvVarSource source =
        new io.fabric8.kubernetes.api.model.EnvVarSourceBuilder()
            .withNewFileKeyRef()
            .withVolumeName("config")
            .withPath("app.env")
            .withKey("MODE")
            .endFileKeyRef()
            .withNewSecretKeyRef()
            .withKey("s")
            .endSecretKeyRef()
            .withNewConfigMapKeyRef()
            .withName("cm")
            .withKey("c")
            .withOptional(true)
            .endConfigMapKeyRef()
            .withNewResourceFieldRef()
            .withResource("limits.cpu")
            .withDivisor(new Quantity("1m"))
            .endResourceFieldRef()
            .withNewFieldRef()
            .withApiVersion("v1")
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .build();
    EnvVar env = new EnvVarBuilder().withName("ALL").withValue("v").withValueFrom(source).build();
    assertThat(GoJson.encode(env))
        .isEqualTo(
            "{\"name\":\"ALL\",\"value\":\"v\",\"valueFrom\":{"
                + "\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"spec.nodeName\"},"
                + "\"resourceFieldRef\":{\"resource\":\"limits.cpu\",\"divisor\":\"1m\"},"
                + "\"configMapKeyRef\":{\"name\":\"cm\",\"key\":\"c\",\"optional\":true},"
                + "\"secretKeyRef\":{\"key\":\"s\"},"
                + "\"fileKeyRef\":{\"volumeName\":\"config\",\"path\":\"app.env\",\"key\":\"MODE\"}}}");
  }

  @Test
  void emptyValueFromIsAnEmptyObject() {
    EnvVar env = new EnvVarBuilder().withName("X").withValueFrom(new EnvVarSource()).build();
    assertThat(GoJson.encode(env)).isEqualTo("{\"name\":\"X\",\"valueFrom\":{}}");
  }

  @Test
  void additionalPropertiesAreDropped() {
    EnvVar env = new EnvVarBuilder().withName("X").withValue("1").build();
    env.setAdditionalProperty("unknown", "field");
    assertThat(GoJson.encode(env)).isEqualTo("{\"name\":\"X\",\"value\":\"1\"}");
  }

  @Test
  void quantitiesEncodeCanonically() {
    assertThat(GoJson.encode(new Quantity("1.5Gi"))).isEqualTo("\"1536Mi\"");
  }

  @Test
  void compareUtf8OrdersByCodePoint() {
    assertThat(GoJson.compareUtf8("a", "b")).isNegative();
    assertThat(GoJson.compareUtf8("ab", "a")).isPositive();
    assertThat(GoJson.compareUtf8("", "")).isZero();
    assertThat(GoJson.compareUtf8("\ud83d\ude00", "\ue000")).isPositive();
  }
}
