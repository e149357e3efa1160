package io.github.apigatewayotel.logs.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/**
 * The host's exporter, telling the {@link DeliveryLedger} how each export ended.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class TrackingLogRecordExporter implements LogRecordExporter {

  private final LogRecordExporter delegate;
  private final DeliveryLedger ledger;

  public TrackingLogRecordExporter(LogRecordExporter delegate, DeliveryLedger ledger) {
    this.delegate = delegate;
    this.ledger = ledger;
    ledger.exporterAdded();
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    ledger.exportStarted();
    CompletableResultCode result;
    try {
      result = delegate.export(logs);
    } catch (RuntimeException e) {
      ledger.exportFinished(logs, false, e);
      throw e;
    }
    result.whenComplete(
        () -> ledger.exportFinished(logs, result.isSuccess(), result.getFailureThrowable()));
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
    return delegate.toString();
  }
}
