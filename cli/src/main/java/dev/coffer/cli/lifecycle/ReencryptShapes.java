package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.ReencryptResult;
import dev.coffer.cli.output.AwsJson;

/**
 * The JSON of a re-encryption run, as {@code reencrypt} and {@code rotate data-key --reencrypt}
 * print it.
 */
final class ReencryptShapes {
  private ReencryptShapes() {}

  static ObjectNode result(ReencryptResult r) {
    ObjectNode o =
        AwsJson.object()
            .put("TargetDataKeyVersion", r.targetVersion())
            .put("PagesVisited", r.pagesVisited())
            .put("PagesResealed", r.pagesResealed())
            .put("BytesResealed", r.bytesResealed())
            .put("DurationSeconds", r.duration().toMillis() / 1000.0)
            .put("Finished", r.finished())
            .put("Resumed", r.resumed());
    r.destroyedVersions().forEach(o.putArray("DestroyedDataKeyVersions")::add);
    return o;
  }
}
