package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated AIM images: built from the catalog or read from descriptors, answering like the real container. */
class SimulatedImagesTest {
  private static final Path DESCRIPTORS = Path.of("src/test/resources/recipes/simulated-images");

  @Test
  void builtInHasOneImagePerCatalogModel() {
    SimulatedImages images = SimulatedImages.builtIn();
    assertThat(images.images()).extracting(SimulatedImage::image)
        .contains("amdenterpriseai/aim-qwen-qwen3-32b:0.8.5", "amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.11.0")
        .hasSize(Catalog.builtIn().models().size());
    assertThat(images.find("docker.io/amdenterpriseai/aim-qwen-qwen3-32b:0.8.5")).isPresent();
    assertThat(images.find("amdenterpriseai/aim-qwen-qwen3-32b:0.9.0")).isEmpty();
  }

  @Test
  void builtInImageAnswersDryRunLikeTheCatalog() {
    var env = Map.of("AIM_GPU_MODEL", "MI300X", "AIM_GPU_COUNT", "1", "AIM_PRECISION", "fp16", "AIM_METRIC", "latency");
    String image = "amdenterpriseai/aim-huggingfacetb-smollm2-135m:0.8.5";
    // The image's AIM_ID is baked in; the environment need not name the model.
    String json = SimulatedImages.builtIn().dryRunJson(image, env);
    var withId = new java.util.HashMap<>(env);
    withId.put("AIM_ID", "HuggingFaceTB/SmolLM2-135M");
    assertThat(json).isEqualTo(DryRun.toJson(DryRun.run(Catalog.builtIn(), withId)));
    assertThat(json).contains("\"filename\": \"vllm-mi300x-fp16-tp1-latency.yaml\"", "\"size_gb\": 0.25");
    assertThat(SimulatedImages.builtIn().dryRun(image, Map.of("AIM_GPU_MODEL", "MI250", "AIM_PRECISION", "bf16"))).isEmpty();
  }

  @Test
  void builtInLabelsBecomeTheImageMetadataOfThePack() {
    var meta = SimulatedImages.builtIn().imageMetadata("amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.11.0").orElseThrow();
    assertThat(meta.model.canonicalName).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(meta.model.hfTokenRequired).isTrue();
    assertThat(meta.model.title).isEqualTo("Llama 3.1 8B Instruct");
    assertThat(meta.oci.licenses).isEqualTo("llama3.1");
    assertThat(meta.oci.version).isEqualTo("0.11.0");
    assertThat(meta.originalLabels).containsKeys("com.amd.aim.model.recommendedDeployments", "com.amd.aim.hfToken.required", "com.amd.aim.title");
    assertThat(meta.model.recommendedDeployments).isNotEmpty().allSatisfy(d -> {
      assertThat(d.profileId).startsWith("vllm-");
      assertThat(d.gpuCount).isPositive();
    });
  }

  @Test
  void descriptorsLoadWithLegacyLabelsAndDerivedProfileIds() {
    SimulatedImage dummy = SimulatedImages.load(DESCRIPTORS).find("ghcr.io/example/aim-dummy:0.1.0").orElseThrow();
    assertThat(dummy.profiles()).extracting(Profile::id).containsExactly("vllm-mi300x-bf16-tp1-latency", "vllm-mi300x-bf16-tp1-throughput");
    var meta = dummy.imageMetadata();
    assertThat(meta.model.canonicalName).isEqualTo("HuggingFaceTB/SmolLM2-135M");
    assertThat(meta.model.hfTokenRequired).isFalse();
    assertThat(meta.model.recommendedDeployments).hasSize(2);
    assertThat(meta.model.recommendedDeployments.get(1).profileId).isEqualTo("vllm-mi300x-bf16-tp1-throughput");

    String json = dummy.dryRunJson(Map.of("AIM_GPU_MODEL", "MI300X", "AIM_METRIC", "throughput"));
    assertThat(json).contains("\"filename\": \"vllm-mi300x-bf16-tp1-throughput.yaml\"", "\"type\": \"preview\"", "\"aim_id\": \"HuggingFaceTB/SmolLM2-135M\"");
    assertThat(dummy.dryRunJson(Map.of("AIM_GPU_MODEL", "MI300X"))).contains("\"async-scheduling\": null");
  }

  @Test
  void aDescriptorWrittenBackReadsTheSame(@TempDir Path dir) throws Exception {
    SimulatedImage qwen = SimulatedImages.builtIn().find("amdenterpriseai/aim-qwen-qwen3-32b:0.8.5").orElseThrow();
    Files.writeString(dir.resolve("qwen.yaml"), SimulatedImages.toYaml(qwen));
    SimulatedImage back = SimulatedImages.load(dir).images().get(0);
    assertThat(back.labels()).isEqualTo(qwen.labels());
    assertThat(back.modelSizesGb()).isEqualTo(qwen.modelSizesGb());
    assertThat(back.profiles()).extracting(Profile::id).isEqualTo(qwen.profiles().stream().map(Profile::id).toList());
    var env = Map.of("AIM_GPU_MODEL", "MI300X", "AIM_GPU_COUNT", "2", "AIM_METRIC", "throughput");
    assertThat(back.dryRunJson(env)).isEqualTo(qwen.dryRunJson(env));
  }
}
