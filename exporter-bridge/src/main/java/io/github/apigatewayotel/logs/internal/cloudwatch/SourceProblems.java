package io.github.apigatewayotel.logs.internal.cloudwatch;

import io.github.apigatewayotel.state.internal.AwsProblem;
import io.github.apigatewayotel.state.internal.OnceLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * What went wrong in a CloudWatch Logs source: every problem of a poll is told to its caller, and
 * logged at WARNING once per subject (a log group, or discovery) and kind until the subject is
 * served again. Logged under the source's own logger, which users configure.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class SourceProblems {

  /** The subject under which discovery problems are reported. */
  public static final String DISCOVERY = "log group discovery";

  private final OnceLogger once;
  @Nullable private final String cloudRegion;

  /** What went wrong in the poll in hand, for its caller. */
  private final List<String> ofPoll = new ArrayList<>();

  /** Set before the first scheduled poll can run: only a started source tries again. */
  private volatile boolean repeating;

  public SourceProblems(Logger logger, @Nullable String cloudRegion) {
    this.once = new OnceLogger(logger);
    this.cloudRegion = cloudRegion;
  }

  /** From now on polls repeat: messages say when the next attempt is. */
  public void pollsRepeat() {
    repeating = true;
  }

  /** A poll begins: the problems of the last one are forgotten (those logged stay logged). */
  public void pollStarts() {
    ofPoll.clear();
  }

  /** What went wrong in the poll in hand. */
  public List<String> ofPoll() {
    return List.copyOf(ofPoll);
  }

  /** A failed AWS call about {@code subject}, the next attempt after {@code delay}. */
  public void report(String subject, AwsFailure failure, AwsProblem problem, Duration delay) {
    String message =
        "CloudWatch Logs "
            + (subject.equals(DISCOVERY) ? DISCOVERY : "group " + subject)
            + (cloudRegion == null ? "" : " in " + cloudRegion)
            + ": "
            + problem.describe()
            // Only a started source tries again; a single poll (--once) ends here.
            + (repeating ? "; next attempt in " + delay.toSeconds() + " s" : "");
    ofPoll.add(message);
    once.warning(subject + "\n" + failure.errorType(), message);
  }

  /** A problem of another kind about {@code subject}: logged once, not told to the caller. */
  public void warnOnce(String subject, String kind, String message, @Nullable Throwable thrown) {
    once.warning(subject + "\n" + kind, message, thrown);
  }

  /** {@code subject} was served: its problems, should they return, are logged again. */
  public void cleared(String subject) {
    once.clearIf(key -> key.startsWith(subject + "\n"));
  }
}
