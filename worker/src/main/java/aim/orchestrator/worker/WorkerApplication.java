package aim.orchestrator.worker;

import org.springframework.boot.builder.SpringApplicationBuilder;
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
    builder().run(args);
  }

  /**
   * The worker application, reading its settings from {@code aim-worker.yaml} rather than {@code application.yaml}:
   * the starter is on the worker's classpath (and in the same image), and its {@code application.yaml} must stay the
   * starter's alone, in both directions.
   */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=aim-worker");
  }
}
