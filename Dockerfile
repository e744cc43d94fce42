# k2k from Debian's packages: build stage with the -dev packages, small runtime stage with
# only the shared libraries the binary links.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ make cmake pkg-config ca-certificates \
      librdkafka-dev libcaf-dev libboost-dev libyaml-cpp-dev libconcurrentqueue-dev libjemalloc-dev \
      catch2 libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build /build --target k2k-cli -j"$(nproc)" \
    && DESTDIR=/out cmake --install /build --prefix /usr/local

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      librdkafka1 libcaf-core0.17 libyaml-cpp0.7 libspdlog1.10 libfmt9 libjemalloc2 \
      ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home k2k
COPY --from=build /out/usr/local/bin/ /usr/local/bin/
USER k2k
EXPOSE 9091
ENTRYPOINT ["k2k"]
CMD ["--help"]
