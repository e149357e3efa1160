package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.util.Set;

/**
 * Which failed exports of the host's OTLP exporters the backend rejected for good: the statuses the
 * OTLP specification says not to retry (HTTP 400, 413, 422, 500...; gRPC {@code INVALID_ARGUMENT},
 * {@code INTERNAL}...), read from the exporter's {@link FailedExportException}. A batch that met
 * one would be rejected at every retry and hold its source for ever, so the sources give it up
 * after a few rounds (counted and logged once with this description).
 *
 * <p>Not permanent, though the specification says not to retry them: statuses that refuse the
 * client rather than the data (HTTP 401, 403, 407, 404, 405, 501; gRPC {@code UNAUTHENTICATED},
 * {@code PERMISSION_DENIED}, {@code NOT_FOUND}, {@code UNIMPLEMENTED}). Every batch meets them
 * until someone fixes the key or the endpoint, and giving up would drop everything until then; so
 * they are retried, with bounded memory, like an outage. Failures without a response (no
 * connection, a timeout) and the retryable statuses (429, 502, 503, 504; {@code UNAVAILABLE}...)
 * are transient.
 */
public final class OtlpRejections {

  /** Refuse the client (its key, its endpoint), not what it sent. */
  private static final Set<Integer> HTTP_REFUSING_THE_CLIENT = Set.of(401, 403, 404, 405, 407, 501);

  /** Retryable by the OTLP specification, or a request timeout. */
  private static final Set<Integer> HTTP_TRANSIENT = Set.of(408, 429, 502, 503, 504);

  /** Not retryable by the OTLP specification, and about the data. */
  private static final Set<String> GRPC_PERMANENT =
      Set.of("UNKNOWN", "INVALID_ARGUMENT", "ALREADY_EXISTS", "FAILED_PRECONDITION", "INTERNAL");

  private OtlpRejections() {}

  /**
   * How the backend rejected the data for good (its status and what to do about it), or null when
   * the export may succeed later, or when the failure is not an OTLP exporter's (a host without the
   * OTLP exporter: nothing is ever taken as permanent).
   */
  public static String permanentRejection(Throwable failure) {
    if (failure == null) {
      return null;
    }
    try {
      return Classifier.describe(failure);
    } catch (LinkageError e) {
      return null; // no OTLP exporter classes in this host
    }
  }

  /** Touches the exporter's classes only when called, so a host without them can load the rest. */
  private static final class Classifier {

    static String describe(Throwable failure) {
      if (failure instanceof FailedExportException.HttpExportException http
          && http.failedWithResponse()) {
        return describe(http.getResponse());
      }
      if (failure instanceof FailedExportException.GrpcExportException grpc
          && grpc.failedWithResponse()) {
        return describe(grpc.getResponse());
      }
      return null;
    }

    private static String describe(HttpResponse response) {
      int status = response.getStatusCode();
      if (status < 400
          || HTTP_TRANSIENT.contains(status)
          || HTTP_REFUSING_THE_CLIENT.contains(status)) {
        return null;
      }
      String message = response.getStatusMessage();
      String description =
          "HTTP " + status + (message == null || message.isBlank() ? "" : " " + message.strip());
      return description + ": " + (status == 413 ? TOO_LARGE : REFUSED_DATA);
    }

    private static String describe(GrpcResponse response) {
      String code = response.getStatusCode().name();
      if (!GRPC_PERMANENT.contains(code)) {
        return null;
      }
      String message = response.getStatusDescription();
      return "gRPC "
          + code
          + (message == null || message.isBlank() ? "" : " (" + message.strip() + ")")
          + ": "
          + REFUSED_DATA;
    }
  }

  private static final String TOO_LARGE =
      "the requests are larger than the backend accepts; lower the batch size"
          + " (otel.blrp.max.export.batch.size for logs) or raise the backend's request limit";
  private static final String REFUSED_DATA =
      "the backend refuses what these requests hold, whatever the retries (see its message: often"
          + " a limit on attributes or sizes); fix the backend's limits, or drop the offending data"
          + " before export";
}
