package aim.orchestrator.recipes;

import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMModelSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The catalog pack under {@code k8s/catalog/pack/}: one AIMClusterModel per catalog model, its image metadata given
 * inline (air-gapped: no registry read), and a kustomization listing them. Generated from the catalog; a test
 * fails when the committed pack is stale ({@code -Daim.catalog.update=true} rewrites it).
 */
public final class CatalogPack {
  /** Label on every object of the pack. */
  public static final String PART_OF = "aim-catalog";

  private CatalogPack() {}

  /** The pack's files by name: {@code kustomization.yaml} and {@code <model file>.yaml} per model. */
  public static SortedMap<String, String> render(Catalog catalog) {
    SortedMap<String, String> files = new TreeMap<>();
    SimulatedImages images = SimulatedImages.fromCatalog(catalog);
    List<String> resources = new ArrayList<>();
    for (ModelCard model : catalog.models()) {
      String name = model.file() + ".yaml";
      resources.add(name);
      SimulatedImage image = images.find(model.aim().image()).orElseThrow();
      files.put(name, header("models/" + model.file() + ".yaml") + yaml(clusterModel(model, image)));
    }
    Map<String, Object> kustomization = new LinkedHashMap<>();
    kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
    kustomization.put("kind", "Kustomization");
    kustomization.put("labels", List.of(Map.of("pairs", Map.of("app.kubernetes.io/part-of", PART_OF))));
    kustomization.put("resources", resources.stream().sorted().toList());
    files.put("kustomization.yaml", header("models/") + yaml(kustomization));
    return files;
  }

  /** The AIMClusterModel of one catalog model. */
  public static AIMClusterModel clusterModel(ModelCard model, SimulatedImage image) {
    var cm = new AIMClusterModel();
    cm.getMetadata().setName(model.file());
    var spec = new AIMModelSpec();
    spec.image = model.aim().image();
    var metadata = image.imageMetadata();
    metadata.originalLabels = null; // inline metadata carries the parsed fields, not the raw labels
    spec.imageMetadata = metadata;
    cm.setSpec(spec);
    return cm;
  }

  private static String header(String from) {
    return "# Generated from k8s/catalog/" + from + " by CatalogPack; do not edit. Regenerate with\n"
        + "# ./mvnw -pl workflows test -Dtest=CatalogPackIsCurrentTest -Daim.catalog.update=true\n";
  }

  private static String yaml(Object value) {
    try {
      Object plain = CatalogYaml.JSON.convertValue(value, Object.class);
      if (plain instanceof Map<?, ?> map) {
        map.remove("status");
      }
      return CatalogYaml.YAML.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
