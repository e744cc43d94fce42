# k2k from Debian's packages: build stage with the -dev packages and the Kafka client library
# built from Debian's own source package (tools/install-librdkafka.sh, pinned in
# tools/librdkafka.pin; linked statically), small runtime stage with only the shared libraries
# the binary links.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ make cmake pkg-config ca-certificates dpkg-dev \
      libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev \
      libcaf-dev libboost-dev libyaml-cpp-dev libconcurrentqueue-dev libjemalloc-dev \
      catch2 libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN tools/install-librdkafka.sh \
    && cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build /build --target k2k-cli -j"$(nproc)" \
    && DESTDIR=/out cmake --install /build --prefix /usr/local

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libssl3 libsasl2-2 libzstd1 liblz4-1 zlib1g libcurl4 \
      libcaf-core0.17 libyaml-cpp0.7 libspdlog1.10 libfmt9 libjemalloc2 \
      ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home k2k
COPY --from=build /out/usr/local/bin/ /usr/local/bin/
USER k2k
EXPOSE 9091
ENTRYPOINT ["k2k"]
CMD ["--help"]
