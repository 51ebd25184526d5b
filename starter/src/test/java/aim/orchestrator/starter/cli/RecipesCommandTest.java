package aim.orchestrator.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code aim recipes ...}: output and exit codes (0 ok, 1 validation failure / nothing selected, 2 usage). */
class RecipesCommandTest {
  @TempDir Path workDir; // no k8s/catalog here, so the built-in catalog is used unless --catalog says otherwise

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = RecipesCommand.execute(args, new PrintWriter(out), new PrintWriter(err),
        new RecipesCommand.Context(Map.of(), workDir, HttpClient.newHttpClient()));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validateTheBuiltInCatalog() {
    Run r = run("validate");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("built-in catalog", "7 model file(s)", "0 error(s)");
  }

  @Test
  void validateABrokenRecipeFails() throws Exception {
    Path recipe = workDir.resolve("qwen3-32b-mi300x-bf16.yaml");
    Files.writeString(recipe, """
        recipe_id: qwen3-32b-mi300x-bf16
        model_id: Qwen/Qwen3-32B
        huggingface_id: Qwen/Qwen3-32B
        hardware: MI300X
        precision: bf16
        vllm_serve:
          "2_gpu":
            enabled: true
            args:
              --model: Qwen/Qwen3-32B
              --max-batch-size: "8"
              --max-batch-tokens: "8192"
        """);
    Run r = run("validate", "--recipe", recipe.getFileName().toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("recipes/qwen3-32b-mi300x-bf16.yaml: vllm_serve.2_gpu: [tensor-parallel] tensor parallelism defaults to 1 but 2_gpu has 2 GPUs")
        .contains("[engine-flag] --max-batch-tokens is not a flag of vllm 0.10.1")
        .contains("2 error(s)");

    Run json = run("validate", "--recipe", recipe.toString(), "--output", "json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.json().get("valid").asBoolean()).isFalse();
    assertThat(json.json().get("errors")).extracting(e -> e.get("rule").asText()).containsExactlyInAnyOrder("tensor-parallel", "engine-flag");
  }

  @Test
  void validateARecipeDirectoryAndACatalogDirectory() throws Exception {
    Path recipes = Files.createDirectories(workDir.resolve("mine"));
    Files.writeString(recipes.resolve("smollm2-135m-mi355x-fp8.yaml"), """
        recipe_id: smollm2-135m-mi355x-fp8
        model_id: HuggingFaceTB/SmolLM2-135M
        huggingface_id: HuggingFaceTB/SmolLM2-135M
        hardware: MI355X
        precision: fp8
        vllm_serve:
          "1_gpu":
            enabled: true
            args:
              --model: HuggingFaceTB/SmolLM2-135M
              --dtype: float8
        """);
    assertThat(run("validate", "--recipes-dir", "mine").code()).isZero();
    assertThat(run("validate", "--catalog", Path.of("..", "k8s", "catalog").toAbsolutePath().toString()).code()).isZero();
    assertThat(run("validate-models").out()).contains("7 model file(s)", "0 error(s)");
  }

  @Test
  void validateModelsReportsABadModel() throws Exception {
    Path models = Files.createDirectories(workDir.resolve("models"));
    Files.writeString(models.resolve("m.yaml"), "model_id: org/m\nhuggingface_id: org/other\n");
    Run r = run("validate-models", "--models-dir", "models");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("models/m.yaml: name: [schema]");
  }

  @Test
  void listShowsEveryRecipe() throws Exception {
    Run r = run("list");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("qwen3-32b-mi300x-bf16", "vllm: 1,1t,2,4,8t  sglang: 1,2")
        .contains("smollm2-135m-mi300x-bf16", "vllm: 1,1t,(2)")
        .contains("smollm2-135m-mi300x-fp8", "vllm: 1*");
    assertThat(run("list", "--output", "json").json()).hasSize(32);
  }

  @Test
  void selectPrintsTheChoiceAndEveryRejection() throws Exception {
    Run r = run("select", "--model", "qwen3-32b", "--gpu", "MI300X", "--gpus", "4", "--precision", "bf16", "--metric", "latency");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("chosen: vllm-mi300x-bf16-tp4-latency (qwen3-32b-mi300x-bf16 vllm_serve.\"4_gpu\")")
        .contains("Qwen/Qwen3-32B vllm-mi300x-bf16-tp1-latency (qwen3-32b-mi300x-bf16 vllm_serve.\"1_gpu\"): gpu count mismatch - 1 GPUs, requested 4")
        .contains("Qwen/Qwen3-32B sglang-mi300x-bf16-tp2-latency (qwen3-32b-mi300x-bf16 sglang_serve.\"2_gpu\"): engine mismatch")
        .contains("... and 64 profile(s) of other models")
        .doesNotContain("deepseek-ai/DeepSeek-R1-0528 vllm-mi300x-fp8-tp8-latency");
    assertThat(run("select", "--model", "qwen3-32b", "--gpu", "MI300X", "--gpus", "4", "--precision", "bf16", "--all").out())
        .contains("deepseek-ai/DeepSeek-R1-0528 vllm-mi300x-fp8-tp8-latency").doesNotContain("other models");

    JsonNode json = run("select", "--model", "Qwen/Qwen3-32B", "--gpu", "mi300x", "--engine", "sglang", "--gpus", "2", "--output", "json").json();
    assertThat(json.get("chosen").get("profile_id").asText()).isEqualTo("sglang-mi300x-bf16-tp2-latency");
    assertThat(json.get("rejected")).allSatisfy(x -> assertThat(x.get("reason").asText()).isNotBlank());
  }

  @Test
  void selectWithNothingCompatibleExitsOne() {
    Run r = run("select", "--model", "deepseek-r1-0528", "--gpu", "MI250", "--gpus", "8");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("chosen: none");
  }

  @Test
  void commandPrintsTheExactServeCommand() throws Exception {
    Run r = run("command", "--model", "qwen3-32b", "--gpu", "MI300X", "--precision", "bf16");
    assertThat(r.code()).isZero();
    assertThat(r.out().strip()).isEqualTo(
        "python -m vllm.entrypoints.openai.api_server --model Qwen/Qwen3-32B --dtype bfloat16 --gpu-memory-utilization 0.85"
            + " --max-model-len 32768 --max-num-seqs 32 --reasoning-parser qwen3 --port 8000 --served-model-name Qwen/Qwen3-32B");

    JsonNode json = run("command", "--model", "qwen3-32b", "--gpu", "MI300X", "--gpus", "2", "--engine", "sglang", "--precision", "bf16",
        "--model-path", "/workspace/model-cache/Qwen/Qwen3-32B", "--port", "9000", "--output", "json").json();
    assertThat(json.get("command").asText()).startsWith(
        "python -m sglang.launch_server --model-path /workspace/model-cache/Qwen/Qwen3-32B --host 0.0.0.0 --context-length 32768");
    assertThat(json.get("command").asText()).contains("--tp-size 2", "--port 9000");
    assertThat(json.get("env").get("SGLANG_USE_AITER").asText()).isEqualTo("1");
  }

  @Test
  void recommendFollowsTheGuide() throws Exception {
    Run r = run("recommend", "--model", "meta-llama/Llama-3.1-405B-Instruct", "--gpu", "MI300X");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("size class >70B").containsPattern("MI300X\\*\\s+4\\s+fp8\\s+382\\.2G\\s+546\\.0G\\s+768G\\s+vllm-mi300x-fp8-tp4-latency");
    JsonNode all = run("recommend", "--model", "qwen3-32b", "--output", "json").json();
    assertThat(all).hasSize(4);
    assertThat(all.get(1).get("profile_id").asText()).isEqualTo("vllm-mi300x-bf16-tp1-latency");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "--no-such-option",
    "select --gpu MI300X",
    "select --model no-such-model --gpu MI300X",
    "select --model qwen3-32b --gpu MI300X --precision fp12",
    "select --model qwen3-32b --gpu MI300X --engine tgi",
    "recommend --model qwen3-32b --gpu H100",
    "validate --recipe a.yaml --recipes-dir b",
    "validate --recipe missing.yaml",
    "fetch-model-cards --models-dir missing",
    ""
  })
  void usageErrorsExitTwo(String line) {
    Run r = run(line.isEmpty() ? new String[0] : line.split(" "));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "validate", "validate-models", "list", "select", "command", "recommend", "fetch-model-cards"})
  void everyCommandHasHelp(String command) {
    Run r = run(command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage:").contains(command.isEmpty() ? "recipes" : command);
  }

  @Test
  void theRepositoryCatalogIsTheDefaultWhenPresent() throws Exception {
    Path catalog = Files.createDirectories(workDir.resolve("k8s/catalog"));
    Files.createDirectories(catalog.resolve("models"));
    Files.createDirectories(catalog.resolve("recipes"));
    Run r = run("list");
    assertThat(r.out()).contains("0 recipe(s), 0 model(s) from " + catalog);
  }
}
