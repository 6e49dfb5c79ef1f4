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
}
