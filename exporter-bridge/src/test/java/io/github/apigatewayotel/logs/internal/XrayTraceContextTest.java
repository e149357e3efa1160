package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

class XrayTraceContextTest {

  @Test
  void convertsTheXrayIdAndDerivesAStableSpanIdFromTheRequestId() {
    SpanContext first = XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r1");
    SpanContext again = XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r1");
    SpanContext other = XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r2");
    assertThat(first.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(first.isValid()).isTrue();
    assertThat(first.getSpanId()).isEqualTo(again.getSpanId()).isNotEqualTo(other.getSpanId());
  }

  @Test
  void rejectsWhatIsNotAnXrayId() {
    assertThat(XrayTraceContext.fromXrayTraceId("2-5759e988-bd862e3fe1be46a994272793", "r")).isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("1-5759e988-BD862E3FE1BE46A99427279Z", "r")).isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("Root=;Sampled=1", "r")).isNull();
  }
}
