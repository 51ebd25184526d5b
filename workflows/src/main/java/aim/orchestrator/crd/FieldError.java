package aim.orchestrator.crd;

/**
 * One problem with one field of an object, worded the way kube-apiserver reports it in the {@code details.causes}
 * of a {@code 422 Invalid} answer.
 *
 * @param reason the cause type, e.g. {@code FieldValueRequired}, {@code FieldValueInvalid}
 * @param field the dotted path of the field, e.g. {@code spec.model.name} or {@code spec.env[0].name}
 * @param message what is wrong, e.g. {@code Required value}
 */
public record FieldError(String reason, String field, String message) {}
