package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IncidentIdTest {

  @Test
  void sameNodeNameAndUidAlwaysGiveTheSameIncident() {
    assertThat(IncidentId.forNode("worker-1", "uid-a"))
        .isEqualTo(IncidentId.forNode("worker-1", "uid-a"));
  }

  @Test
  void aNodeRecreatedUnderTheSameNameIsAnotherIncident() {
    assertThat(IncidentId.forNode("worker-1", "uid-a"))
        .isNotEqualTo(IncidentId.forNode("worker-1", "uid-b"));
  }

  @Test
  void idStartsWithTheNodeNameAndEndsWithTwelveHexCharacters() {
    assertThat(IncidentId.forNode("Worker-1", "uid-a")).matches("worker-1-[0-9a-f]{12}");
  }

  @Test
  void longNodeNamesAreShortenedButStayDistinctByUid() {
    String longName = "n".repeat(200);

    String id = IncidentId.forNode(longName, "uid-a");

    assertThat(id).hasSize(63 + 1 + 12);
    assertThat(id).isNotEqualTo(IncidentId.forNode(longName, "uid-b"));
  }

  @Test
  void aRemovalIsNamedApartFromEveryLossOfTheSameNode() {
    String removal = IncidentId.forRemoval("Worker-1", "uid-a");

    assertThat(removal).matches("removal-worker-1-[0-9a-f]{12}");
    assertThat(removal).isEqualTo(IncidentId.forRemoval("Worker-1", "uid-a"));
    assertThat(removal).isNotEqualTo(IncidentId.forRemoval("Worker-1", "uid-b"));
    assertThat(removal.substring("removal-".length()))
        .isNotEqualTo(IncidentId.forNode("Worker-1", "uid-a"));
  }

  @Test
  void blankUidIsRejectedNamingTheField() {
    assertThatThrownBy(() -> IncidentId.forNode("worker-1", " ")).hasMessageContaining("nodeUid");
  }
}
