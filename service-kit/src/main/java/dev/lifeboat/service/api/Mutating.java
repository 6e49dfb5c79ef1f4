package dev.lifeboat.service.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API endpoint that changes something (a person's request to the saga, an admin action):
 * {@link ApiAccess} lets it through only with the configured bearer token, and never when none is
 * configured.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Mutating {}
