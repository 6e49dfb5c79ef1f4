package dev.lifeboat.sim.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

  private static final Map<String, String> LABELS = Map.of("app", "postgres", "tier", "db");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app=postgres | true",
        "app==postgres | true",
        "app=redis | false",
        "app!=redis | true",
        "app!=postgres | false",
        "app | true",
        "missing | false",
        "!missing | true",
        "!app | false",
        "app in (redis, postgres) | true",
        "app in (redis,kafka) | false",
        "app notin (redis,kafka) | true",
        "missing notin (a) | true",
        "app=postgres,tier=db | true",
        "app=postgres,tier=web | false",
        "app in (a,postgres),!missing | true"
      })
  void selectorMatchesAsTheApiDoes(String selector, boolean matches) {
    assertThat(LabelSelector.parse(selector).test(LABELS)).isEqualTo(matches);
  }

  @Test
  void emptyValueMatchesOnlyAnEmptyLabel() {
    assertThat(LabelSelector.parse("app=").test(Map.of("app", ""))).isTrue();
    assertThat(LabelSelector.parse("app=").test(LABELS)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"app in (a", "=x", "a,,b", "app ~ x"})
  void invalidSelectorIsInvalidInputOnTheField(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(e.details().toString()).contains("label_selector");
            });
  }
}
