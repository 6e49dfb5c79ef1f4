package dev.lifeboat.orchestrator.messaging;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory RocksDB takes outside the Java heap, for all the saga stores of this process
 * together: one block cache (index and filter blocks included) and one write-buffer manager charged
 * to it, of {@value #MEMORY} bytes in all (default {@value #DEFAULT}). Without it each store and
 * partition would get Kafka Streams' own cache and memtables (50 MB and up to 3 x 16 MB), which a
 * pod's memory limit cannot foresee: the orchestrator has 6 stores of 3 partitions, each with a
 * standby.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** The Kafka Streams property (set as {@code kafka-streams.}{@value}) with the bound. */
  public static final String MEMORY = "lifeboat.rocksdb.memory";

  /** The bound when none is set. */
  public static final String DEFAULT = "32M";

  /** The share of the bound that memtables may fill before RocksDB flushes them. */
  static final double WRITE_BUFFER_SHARE = 0.25;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;
  private static long bound;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    long bytes = bytes(configs.get(MEMORY));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    synchronized (BoundedRocksDbMemory.class) {
      if (cache == null || bound != bytes) {
        cache = new LRUCache(bytes, -1, false, 0.1);
        writeBuffers = new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache);
        bound = bytes;
      }
      table.setBlockCache(cache);
      options.setWriteBufferManager(writeBuffers);
    }
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager serve every store of the process: kept open.
  }

  /** The bound in bytes, from a size such as {@code 32M}; an unreadable one names the key. */
  static long bytes(Object value) {
    String text = value == null ? DEFAULT : value.toString().strip();
    long bytes;
    try {
      bytes = new MemorySizeConverter().convert(text).asLongValue();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "kafka-streams." + MEMORY + "=" + text + " is not a size such as 32M", e);
    }
    if (bytes < 4L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "kafka-streams." + MEMORY + "=" + text + " is below 4M, too little for the stores");
    }
    return bytes;
  }
}
