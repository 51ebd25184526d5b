package aim.orchestrator.hardware;

import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;

/** Hardware requirement arithmetic shared by derived and custom templates. */
public final class Hardware {
  private Hardware() {}

  /**
   * {@code over} laid over {@code base}, field by field. A GPU model in {@code over} clears the base's
   * {@code minVram} (the CRD allows only one of the two).
   */
  public static AIMHardwareRequirements merge(AIMHardwareRequirements base, AIMHardwareRequirements over) {
    if (base == null) {
      return over;
    }
    if (over == null) {
      return base;
    }
    AIMHardwareRequirements out = new AIMHardwareRequirements();
    out.cpu = over.cpu != null ? over.cpu : base.cpu;
    if (base.gpu == null || over.gpu == null) {
      out.gpu = over.gpu != null ? over.gpu : base.gpu;
      return out;
    }
    AIMGpuRequirements g = new AIMGpuRequirements();
    g.requests = over.gpu.requests != null ? over.gpu.requests : base.gpu.requests;
    g.model = over.gpu.model != null ? over.gpu.model : base.gpu.model;
    g.minVram = over.gpu.model != null ? over.gpu.minVram : over.gpu.minVram != null ? over.gpu.minVram : base.gpu.minVram;
    g.resourceName = over.gpu.resourceName != null ? over.gpu.resourceName : base.gpu.resourceName;
    out.gpu = g;
    return out;
  }
}
