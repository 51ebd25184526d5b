package aim.orchestrator.starter.status;

import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The JSON behind the status page ({@code /}, served from {@code static/index.html}), polled every 2 s. */
@RestController
class StatusController {
  private final ServiceStatusReader reader;

  StatusController(ServiceStatusReader reader) {
    this.reader = reader;
  }

  /**
   * Every AIM service with its status, lifecycle steps and downloads.
   *
   * @param generatedAt when this answer was read
   * @param services ordered by namespace and name
   */
  record ServicesPage(Instant generatedAt, List<ServiceStatus> services) {}

  @GetMapping(path = "/status/services.json", produces = MediaType.APPLICATION_JSON_VALUE)
  ServicesPage services() {
    return new ServicesPage(Instant.now(), reader.all());
  }
}
