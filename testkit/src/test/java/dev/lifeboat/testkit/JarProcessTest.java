package dev.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JarProcessTest {

  @Test
  void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      ports.add(JarProcess.freePort());
    }

    assertThat(ports).hasSize(300).allMatch(port -> port < JarProcess.ephemeralLow());
    int port = ports.iterator().next();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
