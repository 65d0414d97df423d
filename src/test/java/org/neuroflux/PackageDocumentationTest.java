package org.neuroflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every main package documents, in its package-info.java, what it does and what it may depend on. */
class PackageDocumentationTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void everyMainPackageHasAPackageInfoSayingWhatItMayDependOn() throws IOException {
        List<Path> packages;
        try (Stream<Path> files = Files.walk(MAIN)) {
            packages = files.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::getParent)
                    .distinct()
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(packages.size() > 10, "expected the project's packages under " + MAIN + ", found " + packages);
        List<String> undocumented = packages.stream()
                .filter(dir -> !documentsDependencies(dir.resolve("package-info.java")))
                .map(dir -> MAIN.relativize(dir).toString().replace('/', '.'))
                .collect(Collectors.toList());
        assertEquals(
                List.of(),
                undocumented,
                "packages without a package-info.java that says what they may depend on (\"depend\")");
    }

    private static boolean documentsDependencies(Path info) {
        try {
            return Files.isRegularFile(info)
                    && Files.readString(info).toLowerCase(Locale.ROOT).contains("depend");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + info, e);
        }
    }
}
