# neuroflux: multi-stage build. The build stage runs the same command as the README
# (mvn package); the runtime stage is a Java 17 JRE running the shaded jar as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, in their own layer: it is rebuilt only when pom.xml changes
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 neuroflux \
 && useradd --system --uid 10001 --gid neuroflux --home-dir /app --shell /usr/sbin/nologin neuroflux
WORKDIR /app
COPY --from=build /build/target/neuroflux.jar /app/neuroflux.jar
COPY config /app/config
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    NEUROFLUX_CONFIG=/app/config/application.yaml
EXPOSE 8080
# the jar checks its own /health, so the image needs no curl
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", "/app/neuroflux.jar", "healthcheck", "--url", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["java", "-jar", "/app/neuroflux.jar"]
CMD ["serve"]
