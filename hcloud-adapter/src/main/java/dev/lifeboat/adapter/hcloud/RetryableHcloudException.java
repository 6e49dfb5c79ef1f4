package dev.lifeboat.adapter.hcloud;

/** An {@link HcloudException} that the retry policy tries again (locked, 5xx, 429, I/O). */
public class RetryableHcloudException extends HcloudException {

  public RetryableHcloudException(int status, String code, String message) {
    super(status, code, message);
  }
}
