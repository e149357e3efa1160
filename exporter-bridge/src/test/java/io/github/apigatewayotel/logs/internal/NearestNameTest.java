package io.github.apigatewayotel.logs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {

  private static final List<String> KEYS =
      List.of("logs.source", "logs.format", "regions", "metrics.period", "metrics.lookback");

  @Test
  void aTypoFindsTheNameItWasMeantToBe() {
    assertThat(NearestName.of("logs.sources", KEYS)).contains("logs.source");
    assertThat(NearestName.of("region", KEYS)).contains("regions");
    assertThat(NearestName.of("metrics.perod", KEYS)).contains("metrics.period");
    assertThat(NearestName.of("LOGS.FORMAT", KEYS)).contains("logs.format");
  }

  @Test
  void anotherWordIsNotATypo() {
    assertThat(NearestName.of("tracing.enabled", KEYS)).isEmpty();
    assertThat(NearestName.of("xy", List.of("json"))).isEmpty();
  }

  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(NearestName.distance("kitten", "sitting", 5)).isEqualTo(3);
    assertThat(NearestName.distance("abc", "abc", 1)).isZero();
    assertThat(NearestName.distance("abcdef", "a", 2)).isEqualTo(3); // past the limit: limit + 1
  }
}
