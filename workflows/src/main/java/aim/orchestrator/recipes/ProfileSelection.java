package aim.orchestrator.recipes;

import java.util.List;
import java.util.Optional;

/** The outcome of a selection: the chosen profile, if any, and every other profile with its reason. */
public record ProfileSelection(ProfileQuery query, Optional<Profile> chosen, List<Rejection> rejected) {
  public ProfileSelection {
    rejected = List.copyOf(rejected);
  }
}
