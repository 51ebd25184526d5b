package aim.orchestrator.status;

import java.util.Set;

/**
 * Condition reasons of an artifact's storage and download that travel up unchanged: artifact → its template cache
 * ({@code ArtifactsReady}) → the service ({@code CacheReady}), so a user sees "StorageClassMissing" on the service
 * rather than a bare "CacheFailed".
 */
public final class CacheReasons {
  /** Storage: the PVC (seed 001: "StorageReady=False with reasons like PVCPending, StorageClassMissing, InsufficientCapacity"). */
  public static final Set<String> STORAGE =
      Set.of("PVCPending", "PVCNotBound", "StorageClassMissing", "InsufficientCapacity", "StorageSizeError", "PVCLost");

  /** Download failures, classified from the downloader's exit code and termination message. */
  public static final Set<String> DOWNLOAD =
      Set.of("SourceNotFound", "AuthError", "StorageFull", "VerificationFailed", "DownloadStalled", "PodOOMKilled");

  private CacheReasons() {}

  /** Whether a reason is one that is surfaced on the template cache and the service as it is. */
  public static boolean surfaced(String reason) {
    return reason != null && (STORAGE.contains(reason) || DOWNLOAD.contains(reason));
  }
}
