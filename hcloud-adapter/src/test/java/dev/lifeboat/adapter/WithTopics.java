package dev.lifeboat.adapter;

import dev.lifeboat.testkit.LifeboatTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the adapter's tests that send commands: topics on the shared broker. */
abstract class WithTopics {

  static LifeboatTopics topics;

  @BeforeAll
  static void openTopics() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void closeTopics() {
    topics.close();
  }
}
