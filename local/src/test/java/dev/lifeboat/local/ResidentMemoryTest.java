package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

  @Test
  void theResidentSetIsReadFromTheVmRssLineInKb() {
    String status =
        "Name:\tjava\nVmPeak:\t 3000000 kB\nVmHWM:\t  250000 kB\nVmRSS:\t  201234 kB\nThreads:\t42\n";

    assertThat(ResidentMemory.residentKb(status)).contains(201_234L);
    assertThat(ResidentMemory.residentKb("Name:\tkthreadd\nThreads:\t1\n")).isEmpty();
  }

  @Test
  void theHeapInUseIsTheSumOfTheHeapAreasOfAScrape() {
    String metrics =
        "# TYPE jvm_memory_used_bytes gauge\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.2E7\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 3.0E7\n"
            + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7\n"
            + "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.68435456E8\n";

    assertThat(ResidentMemory.heapBytes(metrics)).contains(42_000_000L);
    assertThat(ResidentMemory.heapBytes("up 1\n")).isEmpty();
  }
}
