package aim.orchestrator.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.model.ImageMetadata.RecommendedDeployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLabelsTest {
  static final String RD = "com.amd.aim.model.recommendedDeployments";

  /** The shape AIM images carry (spec §3.3, the reference's test/aimdummy/Dockerfile). */
  static final String PYTHON_DICTS =
      "{'gpuModel': 'MI300X', 'gpuCount': 1, 'precision': 'fp8', 'metric': 'latency', 'description': 'FP8 latency'},"
          + " {'gpuModel': 'MI300X', 'gpuCount': 1, 'precision': 'fp16', 'metric': 'latency',"
          + " 'profileId': 'mi300x-fp16-latency-unopt'}";

  static List<RecommendedDeployment> deployments(String value) {
    return ImageLabels.parse(Map.of(RD, value)).model.recommendedDeployments;
  }

  @Test
  void readsEveryModelLabel() {
    Map<String, String> labels = new HashMap<>();
    labels.put("com.amd.aim.model.canonicalName", "Qwen/Qwen3-32B");
    labels.put("com.amd.aim.model.source", "https://huggingface.co/Qwen/Qwen3-32B");
    labels.put("com.amd.aim.title", "Qwen3 32B");
    labels.put("com.amd.aim.description.full", "A dense model.");
    labels.put("com.amd.aim.release.notes", "First release.");
    labels.put("com.amd.aim.model.tags", "chat, reasoning ,,multilingual");
    labels.put("com.amd.aim.model.versions", "0.8.5");
    labels.put("com.amd.aim.model.variants", "Qwen/Qwen3-32B,Qwen/Qwen3-32B-FP8");
    labels.put("com.amd.aim.hfToken.required", "true");
    labels.put(RD, PYTHON_DICTS);

    ImageMetadata md = ImageLabels.parse(labels);

    assertThat(md.model.canonicalName).isEqualTo("Qwen/Qwen3-32B");
    assertThat(md.model.source).isEqualTo("https://huggingface.co/Qwen/Qwen3-32B");
    assertThat(md.model.title).isEqualTo("Qwen3 32B");
    assertThat(md.model.descriptionFull).isEqualTo("A dense model.");
    assertThat(md.model.releaseNotes).isEqualTo("First release.");
    assertThat(md.model.tags).containsExactly("chat", "reasoning", "multilingual");
    assertThat(md.model.versions).containsExactly("0.8.5");
    assertThat(md.model.variants).containsExactly("Qwen/Qwen3-32B", "Qwen/Qwen3-32B-FP8");
    assertThat(md.model.hfTokenRequired).isTrue();
    assertThat(md.model.recommendedDeployments).hasSize(2);
    assertThat(md.originalLabels).isEqualTo(labels);
  }

  @Test
  void absentLabelsStayNull() {
    ImageMetadata md = ImageLabels.parse(Map.of());

    assertThat(md.model).isNotNull();
    assertThat(md.model.canonicalName).isNull();
    assertThat(md.model.tags).isNull();
    assertThat(md.model.hfTokenRequired).isNull();
    assertThat(md.model.recommendedDeployments).isNull();
    assertThat(md.oci).isNotNull();
    assertThat(md.oci.title).isNull();
    assertThat(md.originalLabels).isEmpty();
    assertThat(ImageLabels.parse(null).originalLabels).isEmpty();
  }

  @Nested
  class Prefixes {
    @Test
    void legacyPrefixIsRead() {
      ImageMetadata md =
          ImageLabels.parse(
              Map.of(
                  "org.amd.silogen.model.canonicalName", "meta-llama/Llama-3.1-8B",
                  "org.amd.silogen.model.tags", "chat",
                  "org.amd.silogen.hfToken.required", "0",
                  "org.amd.silogen.model.recommendedDeployments", "[{\"gpuModel\": \"MI325X\", \"gpuCount\": 2}]"));

      assertThat(md.model.canonicalName).isEqualTo("meta-llama/Llama-3.1-8B");
      assertThat(md.model.tags).containsExactly("chat");
      assertThat(md.model.hfTokenRequired).isFalse();
      assertThat(md.model.recommendedDeployments).singleElement().satisfies(d -> {
        assertThat(d.gpuModel).isEqualTo("MI325X");
        assertThat(d.gpuCount).isEqualTo(2);
      });
    }

    @Test
    void currentPrefixWinsOverLegacy() {
      ImageMetadata md =
          ImageLabels.parse(
              Map.of(
                  "com.amd.aim.model.canonicalName", "new/name",
                  "org.amd.silogen.model.canonicalName", "old/name"));

      assertThat(md.model.canonicalName).isEqualTo("new/name");
    }

    @Test
    void anEmptyCurrentLabelFallsBackToLegacy() {
      ImageMetadata md =
          ImageLabels.parse(
              Map.of(
                  "com.amd.aim.model.canonicalName", "",
                  "org.amd.silogen.model.canonicalName", "old/name"));

      assertThat(md.model.canonicalName).isEqualTo("old/name");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "true,true", "True,true", "TRUE,true", "t,true", "T,true", "1,true",
    "false,false", "False,false", "FALSE,false", "f,false", "F,false", "0,false"
  })
  void hfTokenRequiredTakesGoBooleans(String value, boolean expected) {
    assertThat(ImageLabels.parse(Map.of("com.amd.aim.hfToken.required", value)).model.hfTokenRequired)
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "on", "tRuE", " true"})
  void otherBooleanSpellingsAreIgnored(String value) {
    assertThat(ImageLabels.parse(Map.of("com.amd.aim.hfToken.required", value)).model.hfTokenRequired).isNull();
  }

  @Test
  void ociLabelsFillOci() {
    Map<String, String> labels = new HashMap<>();
    for (String field :
        List.of("title", "description", "licenses", "vendor", "authors", "source", "documentation", "created", "revision", "version")) {
      labels.put("org.opencontainers.image." + field, field + "-value");
    }

    ImageMetadata.OciMetadata oci = ImageLabels.parse(labels).oci;

    assertThat(oci.title).isEqualTo("title-value");
    assertThat(oci.description).isEqualTo("description-value");
    assertThat(oci.licenses).isEqualTo("licenses-value");
    assertThat(oci.vendor).isEqualTo("vendor-value");
    assertThat(oci.authors).isEqualTo("authors-value");
    assertThat(oci.source).isEqualTo("source-value");
    assertThat(oci.documentation).isEqualTo("documentation-value");
    assertThat(oci.created).isEqualTo("created-value");
    assertThat(oci.revision).isEqualTo("revision-value");
    assertThat(oci.version).isEqualTo("version-value");
  }

  @Nested
  class RecommendedDeployments {
    @Test
    void pythonDictsAsAimImagesCarryThem() {
      List<RecommendedDeployment> ds = deployments(PYTHON_DICTS);

      assertThat(ds).hasSize(2);
      assertThat(ds.get(0))
          .extracting(d -> d.gpuModel, d -> d.gpuCount, d -> d.precision, d -> d.metric, d -> d.description, d -> d.profileId)
          .containsExactly("MI300X", 1, "fp8", "latency", "FP8 latency", null);
      assertThat(ds.get(1).profileId).isEqualTo("mi300x-fp16-latency-unopt");
    }

    @Test
    void aJsonArray() {
      assertThat(deployments("[{\"gpuModel\":\"MI300X\",\"gpuCount\":8,\"metric\":\"throughput\"}]"))
          .singleElement()
          .extracting(d -> d.gpuModel, d -> d.gpuCount, d -> d.metric)
          .containsExactly("MI300X", 8, "throughput");
    }

    @Test
    void jsonObjectsSeparatedByCommas() {
      assertThat(deployments("{\"gpuModel\":\"MI300X\"}, {\"gpuModel\":\"MI325X\"}"))
          .extracting(d -> d.gpuModel)
          .containsExactly("MI300X", "MI325X");
    }

    @Test
    void oneObject() {
      assertThat(deployments("{'gpuModel': 'MI355X', 'gpuCount': 4}"))
          .singleElement()
          .extracting(d -> d.gpuModel, d -> d.gpuCount)
          .containsExactly("MI355X", 4);
    }

    @Test
    void aPythonListOfDicts() {
      assertThat(deployments("[{'gpuModel': 'MI300X'}, {'gpuModel': 'MI325X'}]"))
          .extracting(d -> d.gpuModel)
          .containsExactly("MI300X", "MI325X");
    }

    @Test
    void pythonTrueFalseAndNone() {
      assertThat(deployments("{'gpuModel': 'MI300X', 'profileId': None, 'extra': True, 'other': False}"))
          .singleElement()
          .satisfies(d -> {
            assertThat(d.gpuModel).isEqualTo("MI300X");
            assertThat(d.profileId).isNull();
          });
    }

    @Test
    void quotesInsideStringsSurvive() {
      List<RecommendedDeployment> ds =
          deployments(
              "{'gpuModel': 'MI300X', 'description': 'say \"fast\"'}, "
                  + "{\"gpuModel\": \"MI325X\", \"description\": \"it's quick\"}, "
                  + "{'gpuModel': 'MI355X', 'description': 'it\\'s escaped'}");

      assertThat(ds).extracting(d -> d.description).containsExactly("say \"fast\"", "it's quick", "it's escaped");
    }

    @Test
    void wordsInsideStringsAreNotRewritten() {
      assertThat(deployments("{'gpuModel': 'MI300X', 'description': 'True to None'}"))
          .singleElement()
          .extracting(d -> d.description)
          .isEqualTo("True to None");
    }

    @Test
    void whitespaceNewlinesAndATrailingComma() {
      assertThat(deployments("\n  {'gpuModel': 'MI300X'},\n  {'gpuModel': 'MI325X'},\n"))
          .extracting(d -> d.gpuModel)
          .containsExactly("MI300X", "MI325X");
    }

    @Test
    void unknownFieldsAreIgnored() {
      assertThat(deployments("{'gpuModel': 'MI300X', 'tensorParallel': 2}")).hasSize(1);
    }

    @Test
    void anEmptyArray() {
      assertThat(deployments("[]")).isEmpty();
    }
  }

  @Nested
  class InvalidRecommendedDeployments {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "not json at all",
          "{'gpuModel': 'MI300X'",
          "{'gpuModel': 'MI300X}",
          "{'gpuCount': 'one'}",
          "{'gpuCount': 1.5}",
          "[1, 2]",
          "[null]",
          "{'gpuModel': 'MI300X'} {'gpuModel': 'MI325X'}"
        })
    void failWithTheLabelAndTheReason(String value) {
      assertThatThrownBy(() -> deployments(value))
          .isInstanceOf(InvalidImageLabelsException.class)
          .hasMessageStartingWith("image label " + RD + " is not valid: ")
          .satisfies(e -> assertThat(((InvalidImageLabelsException) e).label()).isEqualTo(RD));
    }

    @Test
    void anUnterminatedStringSaysWhere() {
      assertThatThrownBy(() -> deployments("{'gpuModel': 'MI300X}"))
          .hasMessageContaining("string starting at offset 13 is not terminated");
    }

    @Test
    void theLegacyLabelIsNamedWhenItIsTheOneRead() {
      assertThatThrownBy(() -> ImageLabels.parse(Map.of("org.amd.silogen.model.recommendedDeployments", "{oops}")))
          .isInstanceOf(InvalidImageLabelsException.class)
          .hasMessageStartingWith("image label org.amd.silogen.model.recommendedDeployments is not valid");
    }
  }
}
