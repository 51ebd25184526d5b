package aim.orchestrator.dev;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Applies the sample manifests (dev mode): every YAML document of every file in a folder, in file-name order. */
final class Samples {
  private Samples() {}

  /** Applies the folder and returns the {@code namespace/name} of every AIMService in it. */
  static List<String> apply(KubernetesClient client, Path folder) {
    List<String> services = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          GenericKubernetesResource r =
              client.getKubernetesSerialization().convertValue(item, GenericKubernetesResource.class);
          String ns = r.getMetadata().getNamespace();
          if (ns != null && client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
          }
          var op = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
          var res = ns == null ? op.resource(r) : op.inNamespace(ns).resource(r);
          res.createOr(NonDeletingOperation::update);
          if ("AIMService".equals(r.getKind())) {
            services.add(ns + "/" + r.getMetadata().getName());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return services;
  }
}
