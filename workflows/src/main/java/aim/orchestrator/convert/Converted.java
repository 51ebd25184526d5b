package aim.orchestrator.convert;

import aim.orchestrator.model.Aim;

/** Annotations the converter puts on what it writes. */
public final class Converted {
  /** Where an object came from: {@code aim.silogen.ai/v1alpha1 AIMService team-a/llama3-svc}. */
  public static final String ANNOTATION_CONVERTED_FROM = Aim.LABEL_PREFIX + "converted-from";

  /**
   * The legacy model id of a converted model ({@code meta/llama-3-8b:1.1+20240915}). The new API names models by
   * object name; the annotation lets a later conversion resolve legacy ids through already converted models.
   */
  public static final String ANNOTATION_LEGACY_MODEL_ID = Aim.LABEL_PREFIX + "legacy-model-id";

  private Converted() {}
}
