package aim.orchestrator.starter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts workflows: the Kubernetes watch bridge now; the REST API, schedules and CLI follow. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StarterApplication {
  public static void main(String[] args) {
    SpringApplication.run(StarterApplication.class, args);
  }
}
