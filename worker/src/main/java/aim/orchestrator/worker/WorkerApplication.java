package aim.orchestrator.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The worker pool: polls the AIM task queues and runs workflows and activities. Run as many as you like. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("dev")) {
      aim.orchestrator.dev.DevMode.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(WorkerApplication.class, args);
  }
}
