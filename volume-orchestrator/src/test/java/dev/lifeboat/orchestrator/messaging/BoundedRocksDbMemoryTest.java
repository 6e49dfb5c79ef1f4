package dev.lifeboat.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedRocksDbMemoryTest {

  @Test
  void theBoundIsASizeOfAtLeast4MAndAnythingElseNamesTheKey() {
    assertThat(BoundedRocksDbMemory.bytes("32M")).isEqualTo(32L * 1024 * 1024);
    assertThat(BoundedRocksDbMemory.bytes(null)).isEqualTo(32L * 1024 * 1024);
    assertThat(BoundedRocksDbMemory.bytes(" 1G ")).isEqualTo(1024L * 1024 * 1024);

    assertThatThrownBy(() -> BoundedRocksDbMemory.bytes("lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka-streams.lifeboat.rocksdb.memory=lots");
    assertThatThrownBy(() -> BoundedRocksDbMemory.bytes("1M")).hasMessageContaining("below 4M");
  }

  @Test
  void theConfigurationKeyIsTheOneApplicationPropertiesSets() throws Exception {
    java.util.Properties properties = new java.util.Properties();
    try (var in = getClass().getResourceAsStream("/application.properties")) {
      properties.load(in);
    }

    assertThat(properties)
        .containsEntry("kafka-streams.rocksdb.config.setter", BoundedRocksDbMemory.class.getName())
        .containsKey("kafka-streams." + BoundedRocksDbMemory.MEMORY);
  }
}
