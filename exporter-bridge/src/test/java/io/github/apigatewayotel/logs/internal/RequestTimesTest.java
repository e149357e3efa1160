package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RequestTimesTest {

  @Test
  void clfFastPathAgreesWithJavaTimeAcrossOffsetsAndLeapDays() {
    DateTimeFormatter clf = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    for (String text :
        new String[] {
          "24/Nov/2026:08:58:22 +0000",
          "29/Feb/2024:23:59:59 -0530",
          "01/Jan/1970:00:00:00 +0000",
          "31/Dec/2099:12:00:00 +1400"
        }) {
      assertThat(RequestTimes.parseClf(text))
          .as(text)
          .isEqualTo(OffsetDateTime.parse(text, clf).toInstant().toEpochMilli());
    }
  }

  @Test
  void badTimesAreUnparseable() {
    assertThat(RequestTimes.parseClf("yesterday")).isEqualTo(RequestTimes.UNPARSEABLE);
    assertThat(RequestTimes.parseClf("24/Foo/2026:08:58:22 +0000"))
        .isEqualTo(RequestTimes.UNPARSEABLE);
    assertThat(RequestTimes.parseEpoch("soon")).isEqualTo(RequestTimes.UNPARSEABLE);
  }

  @Test
  void epochIsMillisecondsOrSeconds() {
    assertThat(RequestTimes.parseEpoch("1764000000123")).isEqualTo(1_764_000_000_123L);
    assertThat(RequestTimes.parseEpoch("1764000000")).isEqualTo(1_764_000_000_000L);
    assertThat(RequestTimes.parseEpoch("1764000000.5")).isEqualTo(1_764_000_000_500L);
  }
}
