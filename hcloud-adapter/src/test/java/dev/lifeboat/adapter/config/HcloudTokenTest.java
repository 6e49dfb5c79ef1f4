package dev.lifeboat.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.adapter.hcloud.TokenFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token: required unless dry-run, read from the environment or a file, never shown. */
class HcloudTokenTest {

  @Test
  void missingTokenStopsTheAdapterNamingTheKeys() {
    assertThatThrownBy(() -> TokenFixture.token(Map.of()))
        .hasMessage(
            "lifeboat.hcloud.token (env LIFEBOAT_HCLOUD_TOKEN) or lifeboat.hcloud.token-file is required unless lifeboat.hcloud.dry-run=true");
  }

  @Test
  void dryRunNeedsNoToken() {
    assertThat(TokenFixture.token(Map.of("lifeboat.hcloud.dry-run", "true")))
        .hasToString("HcloudToken[none]");
  }

  @Test
  void tokenFromAMountedFileIsReadAndMasked() throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "token", ".txt");
    Files.writeString(file, "s3cr3t-from-file\n");

    var token = TokenFixture.token(Map.of("lifeboat.hcloud.token-file", file.toString()));

    assertThat(TokenFixture.authorization(token)).contains("Bearer s3cr3t-from-file");
    assertThat(token.toString()).isEqualTo("HcloudToken[***]").doesNotContain("s3cr3t");
  }

  @Test
  void unreadableTokenFileNamesTheKeyButNotTheToken() {
    assertThatThrownBy(
            () -> TokenFixture.token(Map.of("lifeboat.hcloud.token-file", "target/no-such-token")))
        .hasMessageStartingWith("lifeboat.hcloud.token-file target/no-such-token cannot be read");
  }
}
