package aim.orchestrator.convert;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.convert.ConvertedDocument.Result;
import aim.orchestrator.testing.Golden;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

/**
 * The example manifests of seeds 000 and 001 (20 documents, one per fixture file) converted as one batch, as {@code
 * aim convert seed000/*.yaml seed001/*.yaml} does. Golden files under {@code golden/convert/}: the manifests written
 * for each fixture, and the report as text and JSON; {@code -Daim.golden.update=true} rewrites them.
 */
class SeedConversionGoldenTest {

  @Test
  void bothSeedsAsOneBatch() throws Exception {
    Conversion conversion = LegacyConverter.convert(SeedFixtures.both());

    for (String file : conversion.files()) {
      Golden.checkText("convert/" + file, conversion.yaml(file));
    }
    Golden.checkText("convert/report.txt", conversion.reportText());
    Golden.checkText("convert/report.json", Values.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(conversion.reportJson()) + "\n");

    assertThat(conversion.documents()).hasSize(20);
    assertThat(conversion.count(Result.CONVERTED)).isEqualTo(18);
    assertThat(conversion.count(Result.PARTLY_CONVERTED)).isEqualTo(2);
    assertThat(conversion.notConverted())
        .extracting(f -> f.file() + "#" + f.document() + " " + f.field())
        .containsExactly(
            // The new API has no namespace-wide pull secrets: copied to the namespace's objects in the batch.
            "seed000/03-aimnamespaceconfig-default.yaml#0 spec.images.imagePullSecrets",
            // No catalog entry of either seed has qwen-ai/qwen2-7b.
            "seed000/06-aimservicetemplate-qwen2-7b-mi325x-throughput-v1.yaml#0 spec.model");
  }

  @Test
  void seed000AloneHasNoCatalogEntryForTheLlamaItUses() throws Exception {
    // Seed 000's AIMClusterModel is meta/llama-3-8b:1.2.1; its template and services use meta/llama-3-8b:1.1+20240915,
    // which only seed 001's AIMClusterImage gives.
    Conversion conversion = LegacyConverter.convert(SeedFixtures.seed("seed000"));

    Golden.checkText("convert/seed000-alone-report.txt", conversion.reportText());
    assertThat(conversion.notConverted())
        .extracting(f -> f.file() + " " + f.field())
        .containsExactly(
            "seed000/03-aimnamespaceconfig-default.yaml spec.images.imagePullSecrets",
            "seed000/04-aimservice-llama3-8b-svc.yaml spec.model",
            "seed000/05-aimservicetemplate-llama3-8b-mi300x-latency-v1.yaml spec.model",
            "seed000/06-aimservicetemplate-qwen2-7b-mi325x-throughput-v1.yaml spec.model",
            "seed000/07-aimservice-llama3-8b-svc-example.yaml spec.model");
    assertThat(conversion.count(Result.CONVERTED)).isEqualTo(2);
  }

  @Test
  void seed001AloneConvertsCompletely() {
    Conversion conversion = LegacyConverter.convert(SeedFixtures.seed("seed001"));

    assertThat(conversion.notConverted()).isEmpty();
    assertThat(conversion.count(Result.CONVERTED)).isEqualTo(13);
    assertThat(conversion.complete()).isTrue();
  }
}
