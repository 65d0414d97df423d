package org.neuroflux.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.neuroflux.model.ModelValidationException;

/** Tells user errors (exit 2, message only) from internal errors (exit 1, with a stack trace). */
final class UserErrors {
    static final int EXIT_USER_ERROR = 2;

    private UserErrors() {}

    /** The message to show for a user error, or null if e is an internal error. */
    static String message(Throwable e) {
        if (e instanceof UserException || e instanceof ModelValidationException) return e.getMessage();
        if (e instanceof NoSuchFileException n) return "file not found: " + n.getFile();
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        return null;
    }

    /** A mistake in what the user asked for: a bad option value, an impossible combination. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }
    }
}
