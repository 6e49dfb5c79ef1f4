package dev.lifeboat.adapter.hcloud;

/**
 * An {@link HcloudException} that no retry will cure (not_found, invalid_input, unauthorized...).
 */
public class HcloudFinalException extends HcloudException {

  public HcloudFinalException(int status, String code, String message) {
    super(status, code, message);
  }

  static HcloudFinalException of(HcloudException e) {
    return new HcloudFinalException(e.status(), e.code(), e.getMessage());
  }
}
