package aim.orchestrator.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.convert.ConvertedDocument.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conversion rules one by one, beyond what the seeds show: what is reported, and what is written. */
class LegacyConverterTest {

  private static final String CLUSTER_IMAGE = """
      apiVersion: aim.silogen.ai/v1alpha1
      kind: AIMClusterImage
      metadata:
        name: llama
      spec:
        modelId: meta/llama-3-8b:1.1
        image: registry.example.com/aim/llama:1.1
        defaultServiceTemplate: llama-latency
      """;

  private static Conversion convert(String... yaml) {
    List<SourceFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < yaml.length; i++) {
      files.add(new SourceFile("f" + i + ".yaml", yaml[i]));
    }
    return LegacyConverter.convert(files);
  }

  private static List<String> lost(Conversion c) {
    return c.notConverted().stream().map(f -> f.field() + ": " + f.reason()).toList();
  }

  private static JsonNode only(Conversion c, String kind) {
    List<ObjectNode> found = c.manifests().stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void fieldsWithoutACounterpartAreReportedByPathAndTheRestIsWritten() {
    Conversion c = convert(CLUSTER_IMAGE, """
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: svc, namespace: ns}
        spec:
          aimModelId: meta/llama-3-8b:1.1
          kvCache: {enabled: true}
          overrides:
            metric: Latency
            gpuSelector: {count: 2, model: MI300X, vendor: amd}
        """);

    assertThat(c.notConverted()).extracting(Finding::field).containsExactly("spec.kvCache", "spec.overrides.gpuSelector.vendor");
    assertThat(c.documents().get(1).result()).isEqualTo(Result.PARTLY_CONVERTED);
    JsonNode spec = only(c, "AIMService").path("spec");
    assertThat(spec.path("model").path("name").asText()).isEqualTo("llama");
    assertThat(spec.path("overrides").path("metric").asText()).isEqualTo("latency");
    assertThat(spec.path("overrides").path("hardware").path("gpu").path("requests").asInt()).isEqualTo(2);
    assertThat(c.complete()).isFalse();
  }

  @Test
  void credentialsBecomeSecretReferencesAndInlineSecretsAreNeverCopied() {
    Conversion c = convert("""
        apiVersion: config.kaiwo.silogen.ai/v1alpha1
        kind: AIMNamespaceConfig
        metadata: {name: team, namespace: ns}
        spec:
          credentials:
            huggingFaceToken:
              value: hf_s3cr3t
            s3:
              - endpointUrl: http://minio:9000
                accessKeyId: {secretName: s3, secretKey: id}
                secretAccessKey: {secretName: s3, secretKey: key}
                region: eu-west-1
              - endpointUrl: https://s3.amazonaws.com
                accessKeyId: {secretName: aws, secretKey: id}
                secretAccessKey: {secretName: aws, secretKey: key}
        """);

    assertThat(c.yaml()).doesNotContain("hf_s3cr3t");
    assertThat(c.notConverted())
        .extracting(Finding::field)
        .containsExactly(
            "spec.credentials.huggingFaceToken.value", "spec.credentials.huggingFaceToken.secretName", "spec.credentials.s3[0].region", "spec.credentials.s3[1]");
    JsonNode config = only(c, "AIMRuntimeConfig");
    assertThat(config.path("metadata").path("name").asText()).isEqualTo("default");
    assertThat(c.notes()).extracting(Finding::field).containsExactly("metadata.name");
    assertThat(config.path("spec").path("env")).extracting(e -> e.path("name").asText())
        .containsExactly("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(config.path("spec").path("env").get(1).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("s3");
  }

  @Test
  void namespacePullSecretsReachTheNamespacesObjectsAndAreReportedOnTheConfig() {
    Conversion c = convert(CLUSTER_IMAGE, """
        apiVersion: config.kaiwo.silogen.ai/v1alpha1
        kind: AIMNamespaceConfig
        metadata: {name: default, namespace: ns}
        spec:
          images: {imagePullSecrets: [regcred]}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: svc, namespace: ns}
        spec:
          aimModelId: meta/llama-3-8b:1.1
          imagePullSecrets: [{name: own}]
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: elsewhere, namespace: other}
        spec: {aimModelId: meta/llama-3-8b:1.1}
        """);

    assertThat(c.manifests()).filteredOn(m -> m.path("metadata").path("name").asText().equals("svc"))
        .singleElement()
        .satisfies(svc -> assertThat(svc.path("spec").path("imagePullSecrets").findValuesAsText("name")).containsExactly("own", "regcred"));
    assertThat(c.manifests()).filteredOn(m -> m.path("metadata").path("name").asText().equals("elsewhere"))
        .singleElement()
        .satisfies(svc -> assertThat(svc.path("spec").has("imagePullSecrets")).isFalse());
    assertThat(lost(c)).singleElement().asString().startsWith("spec.images.imagePullSecrets: an AIMRuntimeConfig has no image pull secrets. Copied to spec.imagePullSecrets of AIMService svc in this batch");
  }

  @Test
  void modelIdsResolveNamespaceEntriesFirstThenClusterEntries() {
    Conversion c = convert(CLUSTER_IMAGE, """
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMImage
        metadata: {name: llama-team, namespace: team}
        spec: {modelId: meta/llama-3-8b:1.1, image: registry.example.com/aim/llama:1.1-team}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: in-team, namespace: team}
        spec: {aimModelId: meta/llama-3-8b:1.1, templateRef: t}
        ---
        apiVersion: kaiwo.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: in-other, namespace: other}
        spec: {model: meta/llama-3-8b:1.1, templateRef: t}
        """);

    assertThat(c.complete()).isTrue();
    assertThat(c.manifests()).extracting(m -> m.path("kind").asText() + " " + m.path("spec").path("model").path("name").asText(""))
        .containsExactly("AIMClusterModel ", "AIMModel ", "AIMService llama-team", "AIMService llama");
  }

  @Test
  void anAlreadyConvertedModelResolvesLegacyIdsThroughItsAnnotation() {
    Conversion c = convert("""
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMClusterModel
        metadata:
          name: llama
          annotations: {aim.eai.amd.com/legacy-model-id: "meta/llama-3-8b:1.1"}
        spec: {image: registry.example.com/aim/llama:1.1}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: t, namespace: ns}
        spec: {modelId: meta/llama-3-8b:1.1, metric: latency}
        """);

    assertThat(c.complete()).isTrue();
    assertThat(c.documents()).extracting(ConvertedDocument::result).containsExactly(Result.COPIED_UNCHANGED, Result.CONVERTED);
    assertThat(c.manifests()).extracting(m -> m.path("kind").asText() + " " + m.path("metadata").path("namespace").asText("-") + "/" + m.path("metadata").path("name").asText())
        .containsExactly("AIMClusterModel -/llama", "AIMModel ns/llama", "AIMServiceTemplate ns/t");
    assertThat(only(c, "AIMModel").path("spec").path("discovery").path("createServiceTemplates").asBoolean(true)).isFalse();
  }

  @Test
  void anIdGivenByTwoEntriesIsAmbiguous() {
    Conversion c = convert(CLUSTER_IMAGE, CLUSTER_IMAGE.replace("name: llama", "name: llama-copy"), """
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: svc, namespace: ns}
        spec: {aimModelId: meta/llama-3-8b:1.1}
        """);

    assertThat(lost(c)).singleElement().asString()
        .isEqualTo("spec.aimModelId: model id meta/llama-3-8b:1.1 is given by more than one catalog entry in this batch; used AIMClusterImage llama, not AIMClusterImage llama-copy");
  }

  @Test
  void anUnknownModelIdGetsADerivedNameAndIsReported() {
    Conversion c = convert("""
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: svc, namespace: ns}
        spec: {aimModelId: "Qwen/Qwen3-32B:0.8.5+build.7"}
        """);

    assertThat(only(c, "AIMService").path("spec").path("model").path("name").asText()).isEqualTo("qwen-qwen3-32b-0-8-5-build-7");
    assertThat(c.documents().get(0).result()).isEqualTo(Result.PARTLY_CONVERTED);
    assertThat(lost(c)).singleElement().asString().contains("matches no catalog entry", "create an AIMClusterModel");
  }

  @Test
  void templateRules() {
    Conversion c = convert(CLUSTER_IMAGE, """
        apiVersion: kaiwo.silogen.ai/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: tp, namespace: ns}
        spec: {model: meta/llama-3-8b:1.1, useCase: latency, precision: fp6, gpusPerReplica: 4, gpuModel: MI300X, tensorParallelism: 2}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMClusterServiceTemplate
        metadata: {name: cluster-cached}
        spec: {modelId: meta/llama-3-8b:1.1, metric: throughput, caching: {enabled: true}}
        """);

    assertThat(c.notConverted()).extracting(Finding::field).containsExactly("spec.precision", "spec.tensorParallelism", "spec.caching.enabled");
    JsonNode namespaced = only(c, "AIMServiceTemplate").path("spec");
    assertThat(namespaced.path("hardware").path("gpu").path("requests").asInt()).isEqualTo(4);
    assertThat(namespaced.has("precision")).isFalse();
    assertThat(only(c, "AIMClusterServiceTemplate").path("spec").path("modelName").asText()).isEqualTo("llama");
  }

  @Test
  void serviceRules() {
    Conversion c = convert(CLUSTER_IMAGE, """
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: uncached, namespace: ns}
        spec: {aimModelId: meta/llama-3-8b:1.1, templateRef: mine, cacheModel: false}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: later-shape, namespace: ns}
        spec:
          model: {ref: llama}
          template: {allowUnoptimized: true}
          routing: {enabled: true, annotations: {cluster-auth/allowed-group: team}}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMService
        metadata: {name: no-model, namespace: ns}
        spec: {replicas: 2}
        """);

    JsonNode uncached = c.documents().get(1).outputs().get(0).path("spec");
    assertThat(uncached.path("template").path("name").asText()).isEqualTo("mine");
    assertThat(uncached.has("caching")).isFalse();
    JsonNode later = c.documents().get(2).outputs().get(0).path("spec");
    assertThat(later.path("model").path("name").asText()).isEqualTo("llama");
    assertThat(later.path("template").path("allowUnoptimized").asBoolean()).isTrue();
    assertThat(later.path("routing").path("annotations").path("cluster-auth/allowed-group").asText()).isEqualTo("team");
    assertThat(c.documents().get(3).result()).isEqualTo(Result.NOT_CONVERTED);
    assertThat(c.notes()).extracting(Finding::field).containsExactly("spec.cacheModel");
    assertThat(c.notConverted()).extracting(f -> f.name() + " " + f.field()).containsExactly("no-model spec.aimModelId");
  }

  @Test
  void cachesAndConfigs() {
    Conversion c = convert("""
        apiVersion: aim.silogen.ai/v1alpha1
        kind: ModelCache
        metadata: {name: gcs, namespace: ns}
        spec: {sourceUri: "gs://bucket/model", size: 10Gi}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: ModelCache
        metadata: {name: weights, namespace: ns}
        spec: {sourceUri: "s3://bucket/model", size: lots}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMClusterConfig
        metadata: {name: cluster}
        spec:
          routing: {gateway: {name: gw, namespace: infra}, autoCreateRoute: false, pathTemplate: "/{.metadata.namespace}/{.metadata.name}"}
        """);

    assertThat(c.documents()).extracting(ConvertedDocument::result).containsExactly(Result.NOT_CONVERTED, Result.PARTLY_CONVERTED, Result.CONVERTED);
    assertThat(c.notConverted()).extracting(Finding::field).containsExactly("spec.sourceUri", "spec.size");
    JsonNode routing = only(c, "AIMClusterRuntimeConfig").path("spec").path("routing");
    assertThat(routing.path("enabled").asBoolean(true)).isFalse();
    assertThat(routing.path("gatewayRef").path("name").asText()).isEqualTo("gw");
    assertThat(routing.path("pathTemplate").asText()).isEqualTo("/{.metadata.namespace}/{.metadata.name}");
  }

  @Test
  void otherDocumentsAreCopiedAndUnknownLegacyKindsAreNot() {
    Conversion c = convert("""
        apiVersion: v1
        kind: Secret
        metadata: {name: hf-creds, namespace: ns}
        stringData: {token: x}
        ---
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMKVCache
        metadata: {name: kv, namespace: ns}
        spec: {size: 1Gi}
        """);

    assertThat(c.documents()).extracting(ConvertedDocument::result).containsExactly(Result.COPIED_UNCHANGED, Result.NOT_CONVERTED);
    assertThat(c.manifests()).singleElement().satisfies(m -> assertThat(m.path("kind").asText()).isEqualTo("Secret"));
    assertThat(lost(c)).singleElement().asString().startsWith("kind: AIMKVCache has no counterpart");
  }

  @Test
  void metadataKeepsNameNamespaceLabelsAndAnnotationsOnly() {
    Conversion c = convert("""
        apiVersion: aim.silogen.ai/v1alpha1
        kind: AIMTemplateCache
        metadata:
          name: warm
          namespace: ns
          uid: 0b7e
          resourceVersion: "42"
          labels: {team: a}
          annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}", note: kept}
          ownerReferences: [{apiVersion: aim.silogen.ai/v1alpha1, kind: AIMService, name: s, uid: 1}]
        spec: {templateRef: t}
        status: {status: Available}
        """);

    JsonNode metadata = only(c, "AIMTemplateCache").path("metadata");
    assertThat(metadata.fieldNames()).toIterable().containsExactly("annotations", "labels", "name", "namespace");
    assertThat(metadata.path("annotations").fieldNames()).toIterable().containsExactly("note", Converted.ANNOTATION_CONVERTED_FROM);
    assertThat(c.notes()).extracting(Finding::field).containsExactly("metadata.ownerReferences", "status");
    assertThat(c.complete()).isTrue();
  }

  @Test
  void unreadableYamlStopsTheConversion() {
    assertThatThrownBy(() -> convert("kind: [unclosed")).isInstanceOf(UnreadableInputException.class).hasMessageStartingWith("f0.yaml: not YAML");
    assertThatThrownBy(() -> convert("kind: A\nkind: B\n")).isInstanceOf(UnreadableInputException.class).hasMessageContaining("Duplicate field 'kind'");
  }

  @Test
  void theItemsOfAListAreDocuments() {
    Conversion c = convert("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: aim.silogen.ai/v1alpha1
          kind: AIMClusterImage
          metadata: {name: llama, uid: 3c1a, resourceVersion: "7"}
          spec: {modelId: meta/llama-3-8b:1.1, image: registry.example.com/aim/llama:1.1}
        - apiVersion: aim.silogen.ai/v1alpha1
          kind: AIMService
          metadata: {name: svc, namespace: ns}
          spec: {aimModelId: meta/llama-3-8b:1.1, templateRef: t}
        """);

    assertThat(c.documents()).extracting(d -> d.document() + " " + d.kind() + " " + d.result().label())
        .containsExactly("0 AIMClusterImage converted", "1 AIMService converted");
    assertThat(only(c, "AIMService").path("spec").path("model").path("name").asText()).isEqualTo("llama");
  }

  @Test
  void documentsAreCountedPerFileSkippingEmptyOnes() {
    Conversion c = convert("---\n# nothing\n---\n" + CLUSTER_IMAGE + "---\n" + CLUSTER_IMAGE.replace("name: llama\n", "name: other\n"));

    assertThat(c.documents()).extracting(ConvertedDocument::document).containsExactly(0, 1);
    assertThat(c.summary()).isEqualTo("2 document(s) in 1 file(s): 2 converted, 0 partly converted, 0 not converted, 0 copied unchanged; 0 field(s) not converted");
  }
}
