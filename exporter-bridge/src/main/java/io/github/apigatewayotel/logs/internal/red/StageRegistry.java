package io.github.apigatewayotel.logs.internal.red;

import io.github.apigatewayotel.logs.internal.AccessLogMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every series of the request metrics, stage by stage, with their cardinality bounded: a stage
 * holds at most {@code maxSeriesPerStage} series, and its further requests count in the stage's
 * overflow series, whose attributes are the stage's plus {@code otel.metric.overflow=true} (the
 * SDK's own convention for a full instrument), so stage totals stay exact. Memory is bounded
 * whatever the lines hold (a file of garbage that happens to parse): at most {@link #MAX_STAGES}
 * stages and {@link #MAX_SERIES} series in all, and no value longer than {@link #MAX_VALUE_CHARS}
 * becomes an attribute (a route template or id is never that long). Guarded by its owner's lock.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class StageRegistry {

  /** The SDK's attribute on the series that takes what a full instrument cannot. */
  static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

  /**
   * Stages kept, a bound no real account reaches (API Gateway's quotas allow 600 REST APIs of 10
   * stages per region); past it, lines of new stages count in one overflow series.
   */
  static final int MAX_STAGES = 10_000;

  /** Series of all stages together: about 30 MB of running totals at 0.6 KB each. */
  static final int MAX_SERIES = 50_000;

  /** Longer route keys, routes or stage names count in an overflow series instead. */
  static final int MAX_VALUE_CHARS = 256;

  /** API Gateway serves TLS only (HTTPS, and WebSocket's wss after an HTTPS upgrade). */
  private static final String SCHEME = "https";

  private final int maxSeriesPerStage;
  private final RequestMetricsTelemetry telemetry;
  private final Map<StageKey, Stage> stages = new HashMap<>();
  private Series stagesOverflow;

  /** The stage of the last line: its key is the very object the reader handed out again. */
  private StageKey recentKey;

  private Stage recentStage;
  private int seriesCount;

  StageRegistry(int maxSeriesPerStage, RequestMetricsTelemetry telemetry) {
    this.maxSeriesPerStage = maxSeriesPerStage;
    this.telemetry = telemetry;
  }

  /** The series {@code route} of {@code stageKey} counts in, created when new. */
  Series seriesOf(StageKey stageKey, RouteKey route) {
    Stage stage = stageKey == recentKey ? recentStage : stages.get(stageKey);
    if (stage == null) {
      if (stages.size() >= MAX_STAGES
          || tooLong(stageKey.apiId())
          || tooLong(stageKey.stage())
          || tooLong(stageKey.accountId())) {
        telemetry.overflowed();
        if (stagesOverflow == null) {
          stagesOverflow = new Series(Attributes.of(OVERFLOW, true));
        }
        return stagesOverflow;
      }
      stage = new Stage(baseAttributes(stageKey));
      stages.put(stageKey, stage);
    }
    recentKey = stageKey;
    recentStage = stage;
    return stage.seriesOf(route);
  }

  private static boolean tooLong(String value) {
    return value != null && value.length() > MAX_VALUE_CHARS;
  }

  /** Every series, for a running-total collection. */
  List<Series> all() {
    List<Series> all = new ArrayList<>();
    for (Stage stage : stages.values()) {
      all.addAll(stage.series.values());
      if (stage.overflow != null) {
        all.add(stage.overflow);
      }
    }
    if (stagesOverflow != null) {
      all.add(stagesOverflow);
    }
    return all;
  }

  /** What names the stage, as on the CloudWatch metrics (DESIGN.md "Attributes"). */
  private static Attributes baseAttributes(StageKey key) {
    AttributesBuilder builder =
        Attributes.builder()
            .put(
                CloudIncubatingAttributes.CLOUD_PROVIDER,
                CloudIncubatingAttributes.CloudProviderIncubatingValues.AWS);
    putIfKnown(builder, CloudIncubatingAttributes.CLOUD_REGION, key.region());
    putIfKnown(builder, CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, key.accountId());
    putIfKnown(builder, CloudIncubatingAttributes.CLOUD_RESOURCE_ID, key.stageArn());
    putIfKnown(builder, AccessLogMapper.API_TYPE, key.apiType());
    putIfKnown(builder, AccessLogMapper.API_ID, key.apiId());
    putIfKnown(builder, AccessLogMapper.STAGE, key.stage());
    return builder.build();
  }

  private static void putIfKnown(
      AttributesBuilder builder, AttributeKey<String> key, String value) {
    if (value != null) {
      builder.put(key, value);
    }
  }

  private final class Stage {
    final Attributes base;
    final Map<RouteKey, Series> series = new HashMap<>();
    Series overflow;

    Stage(Attributes base) {
      this.base = base;
    }

    Series seriesOf(RouteKey route) {
      Series found = series.get(route);
      if (found != null) {
        return found;
      }
      if (series.size() >= maxSeriesPerStage
          || seriesCount >= MAX_SERIES
          || tooLong(route.route())
          || tooLong(route.routeKey())) {
        telemetry.overflowed();
        if (overflow == null) {
          overflow = new Series(base.toBuilder().put(OVERFLOW, true).build());
        }
        return overflow;
      }
      Series created = new Series(routeAttributes(base, route));
      series.put(route, created);
      seriesCount++;
      return created;
    }
  }

  /**
   * The semantic conventions' HTTP server attributes: method, route template, exact status, {@code
   * error.type} (the status as a string) for 5xx, scheme; and the route key as written.
   */
  private static Attributes routeAttributes(Attributes base, RouteKey route) {
    AttributesBuilder builder = base.toBuilder();
    putIfKnown(builder, HttpAttributes.HTTP_REQUEST_METHOD, route.method());
    putIfKnown(builder, HttpAttributes.HTTP_ROUTE, route.route());
    putIfKnown(builder, AccessLogMapper.ROUTE_KEY, route.routeKey());
    builder.put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) route.status());
    if (route.status() >= 500) {
      builder.put(ErrorAttributes.ERROR_TYPE, Integer.toString(route.status()));
    }
    builder.put(UrlAttributes.URL_SCHEME, SCHEME);
    return builder.build();
  }
}
