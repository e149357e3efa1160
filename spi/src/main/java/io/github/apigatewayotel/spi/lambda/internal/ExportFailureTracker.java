package io.github.apigatewayotel.spi.lambda.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps the autoconfigured log exporter to remember whether an export failed. The SDK's batch
 * processor completes {@code forceFlush()} successfully even when the export it triggered
 * failed, so a forwarder that must fail its invocation on a lost batch has to watch the
 * exporter itself.
 */
public final class ExportFailureTracker implements LogRecordExporter {

  private final LogRecordExporter delegate;
  private final AtomicBoolean failed;

  /** Wraps {@code delegate}; a failed export sets {@code failed}, which may be shared. */
  public ExportFailureTracker(LogRecordExporter delegate, AtomicBoolean failed) {
    this.delegate = delegate;
    this.failed = failed;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    CompletableResultCode result;
    try {
      result = delegate.export(logs);
    } catch (RuntimeException e) {
      failed.set(true);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) {
            failed.set(true);
          }
        });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "ExportFailureTracker{" + delegate + "}";
  }
}
