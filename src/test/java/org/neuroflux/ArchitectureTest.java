package org.neuroflux;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules, checked on the compiled main classes: the numerical core (math, model, dynamics,
 * signal, random) runs offline and under JMH without Reactor, Netty or Micrometer; transport speaks to
 * the rest only through pipeline, config and metrics; and the top-level packages form no cycle.
 */
@AnalyzeClasses(packages = "org.neuroflux", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule numericalCoreIsFreeOfReactorNettyAndMicrometer = noClasses()
            .that()
            .resideInAnyPackage(
                    "org.neuroflux.math..",
                    "org.neuroflux.model..",
                    "org.neuroflux.dynamics..",
                    "org.neuroflux.signal..",
                    "org.neuroflux.random..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("reactor..", "io.netty..", "io.micrometer..")
            .because("the numerical core must stay unit-testable, benchmarkable and usable offline");

    @ArchTest
    static final ArchRule transportSeesOnlyPipelineConfigAndMetrics = classes()
            .that()
            .resideInAPackage("org.neuroflux.transport..")
            .should()
            .onlyDependOnClassesThat(not(resideInAPackage("org.neuroflux.."))
                    .or(resideInAnyPackage(
                            "org.neuroflux.transport..",
                            "org.neuroflux.pipeline..",
                            "org.neuroflux.config..",
                            "org.neuroflux.metrics..")))
            .because("transport sees only pipeline, config and metrics types");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles =
            slices().matching("org.neuroflux.(*)..").should().beFreeOfCycles();
}
