package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

class XrayTraceContextTest {

  @Test
  void convertsTheXrayIdAndDerivesAStableSpanIdFromTheRequestId() {
    SpanContext first =
        XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r1");
    SpanContext again =
        XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r1");
    SpanContext other =
        XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r2");
    assertThat(first.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(first.isValid()).isTrue();
    assertThat(first.getSpanId()).isEqualTo(again.getSpanId()).isNotEqualTo(other.getSpanId());
  }

  @Test
  void readsTheHeaderFormAndTheShortenedEpochAsTheXrayPropagatorDoes() {
    SpanContext header =
        XrayTraceContext.fromXrayTraceId(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "r1");
    assertThat(header.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(header.getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(header.isSampled()).isTrue();
    // X-Ray allows leading zeros of the epoch part to be left out; the propagator pads them back.
    assertThat(
            XrayTraceContext.fromXrayTraceId("1-759e988-bd862e3fe1be46a994272793", "r1")
                .getTraceId())
        .isEqualTo("0759e988bd862e3fe1be46a994272793");
    SpanContext noParent =
        XrayTraceContext.fromXrayTraceId(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0", "r1");
    assertThat(noParent.getSpanId())
        .isEqualTo(
            XrayTraceContext.fromXrayTraceId("1-5759e988-bd862e3fe1be46a994272793", "r1")
                .getSpanId());
    assertThat(noParent.isSampled()).isFalse();
  }

  @Test
  void rejectsWhatIsNotAnXrayId() {
    assertThat(XrayTraceContext.fromXrayTraceId("2-5759e988-bd862e3fe1be46a994272793", "r"))
        .isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("1-5759e988-BD862E3FE1BE46A99427279Z", "r"))
        .isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("Root=;Sampled=1", "r")).isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("-", "r")).isNull();
    assertThat(XrayTraceContext.fromXrayTraceId("1-00000000-000000000000000000000000", "r"))
        .isNull();
  }
}
