package aim.orchestrator.activities.registry;

import java.util.Map;

/** Reads the labels of a container image from its registry. */
public interface ImageInspector {
  /**
   * The labels of the image's config ({@code config.Labels}); for a multi-platform image, those of its linux/amd64
   * image.
   *
   * @param image an image reference, e.g. {@code amdenterpriseai/aim-qwen-qwen3-32b:0.8.5} or
   *     {@code ghcr.io/org/image@sha256:…}
   * @param keychain credentials by registry host
   * @return the labels, empty when the image has none
   * @throws RegistryException when the image cannot be read
   */
  Map<String, String> labels(String image, Keychain keychain) throws RegistryException;
}
