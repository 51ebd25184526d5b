package aim.orchestrator.modelsource;

import java.util.List;

/**
 * What one filter of a model source found.
 *
 * @param filter the filter's {@code image}
 * @param images the images the filter keeps, in registry order
 * @param error why the registry could not be listed for this filter, or null
 */
public record FilterOutcome(String filter, List<RegistryImage> images, String error) {
  public static FilterOutcome found(String filter, List<RegistryImage> images) {
    return new FilterOutcome(filter, List.copyOf(images), null);
  }

  public static FilterOutcome failed(String filter, String error) {
    return new FilterOutcome(filter, List.of(), error);
  }

  public boolean failed() {
    return error != null;
  }
}
