package io.github.apigatewayotel.state.fleet;

/**
 * A lease this replica holds on one unit of work: {@code token} grows by one each time the lease
 * changes hands, so it fences every checkpoint write of an earlier holder (see {@link
 * FencedCheckpoints}).
 */
public record Lease(String unit, String owner, long token) {}
