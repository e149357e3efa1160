package io.github.apigatewayotel.state.fleet;

/** The unit's checkpoint was sealed by a later holder of its lease: this replica lost the unit. */
public final class LeaseLostException extends Exception {

  private static final long serialVersionUID = 1L;

  public LeaseLostException(Lease lease) {
    super("the lease on " + lease.unit() + " (token " + lease.token() + ") was taken over");
  }
}
