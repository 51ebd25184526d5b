package aim.orchestrator.activity;

/**
 * The outcome of re-verifying one artifact.
 *
 * @param artifact the AIMArtifact's name
 * @param outcome {@code verified} (every file matched), {@code repaired} (missing or corrupt files were fetched
 *     again), {@code failed} (see reason), or {@code not-ready} (its own workflow is still downloading it, or failed)
 * @param reason the failure's reason ({@code SourceNotFound}, …) or the artifact's status for not-ready; else null
 * @param files files checked
 * @param fetchedFiles files fetched again
 * @param fetchedBytes bytes fetched again
 * @param message a line for humans
 */
public record ArtifactVerification(
    String artifact, String outcome, String reason, int files, int fetchedFiles, long fetchedBytes, String message) {

  public static ArtifactVerification notReady(String artifact, String status) {
    return new ArtifactVerification(
        artifact, "not-ready", status, 0, 0, 0, "AIMArtifact " + artifact + " is " + status + "; its own workflow downloads it");
  }
}
