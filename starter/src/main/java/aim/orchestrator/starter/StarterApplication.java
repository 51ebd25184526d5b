package aim.orchestrator.starter;

import aim.orchestrator.starter.cli.AimCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts workflows: the Kubernetes watch bridge and the REST API (package {@code api}: AIM resources, a service's
 * view, actions, cache-warming schedules). {@code recipes ...} and {@code convert ...} run the {@code aim recipes}
 * and {@code aim convert} command lines instead, without starting Spring.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StarterApplication {
  public static void main(String[] args) {
    if (AimCli.handles(args)) {
      // Before the first logger exists: the command line logs only problems, to standard error.
      if (System.getProperty("logback.configurationFile") == null) {
        System.setProperty("logback.configurationFile", "aim-cli-logback.xml");
      }
      System.exit(AimCli.run(args));
    }
    SpringApplication.run(StarterApplication.class, args);
  }
}
