#!/usr/bin/env bash
# Builds the Kafka client library k2k links (librdkafka) from Debian's own source package,
# pinned in tools/librdkafka.pin, and installs it under .deps/librdkafka-VERSION (or
# $K2K_DEPS_DIR). Debian 12's binary librdkafka 2.0.2 is refused by Kafka 4's SCRAM (fixed in
# 2.6.1) and lacks OIDC, re-authentication and re-bootstrap.
#
# Network: only Debian's archive, through apt-get source with a private apt configuration
# (nothing on the system changes). The .dsc and the orig tarball are checked against the pin
# before anything is built. Idempotent: a second run with the same pin does nothing.
# Prints the install prefix on stdout.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=librdkafka.pin
. "$repo/tools/librdkafka.pin"
version="$LIBRDKAFKA_DEBIAN_VERSION"
upstream="${version%-*}"
deps_dir="${K2K_DEPS_DIR:-$repo/.deps}"
prefix="$deps_dir/librdkafka-$version"
stamp="$prefix/.k2k-installed"
want_stamp="$version $LIBRDKAFKA_DSC_SHA256 $LIBRDKAFKA_ORIG_SHA256"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  echo "$prefix"
  exit 0
fi

say() { echo "install-librdkafka: $*" >&2; }
fail() { say "$*"; exit 1; }

work="$deps_dir/.work-librdkafka"
rm -rf "$work" "$prefix"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
cat >"$work/apt/sources.list" <<'EOF'
deb-src http://deb.debian.org/debian trixie main
deb-src http://deb.debian.org/debian trixie-updates main
deb-src http://deb.debian.org/debian-security trixie-security main
deb-src http://deb.debian.org/debian forky main
deb-src http://deb.debian.org/debian sid main
EOF
apt_opts=(
  -o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
  -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
)

say "librdkafka $version from Debian's source package (sources index: trixie, forky, sid)"
apt-get "${apt_opts[@]}" -qq update >"$work/apt-update.log" 2>&1 ||
  { cat "$work/apt-update.log" >&2; fail "apt-get update of the private deb-src list failed"; }
offered="$(apt-cache "${apt_opts[@]}" showsrc librdkafka 2>/dev/null |
  sed -n 's/^Version: //p' | sort -uV | paste -sd ' ')"
case " $offered " in
  *" $version "*) ;;
  *) fail "the pinned librdkafka $version is no longer in Debian's archive; it offers now: \
${offered:-nothing}. Bump tools/librdkafka.pin on purpose (version and the sha256 of its .dsc and orig tarball)." ;;
esac

(cd "$work/src" && apt-get "${apt_opts[@]}" -qq source --download-only "librdkafka=$version") \
  >"$work/apt-source.log" 2>&1 ||
  { cat "$work/apt-source.log" >&2; fail "apt-get source librdkafka=$version failed"; }

check_sha256() { # file expected
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || fail "$(basename "$1"): sha256 $got, the pin says $2 (tools/librdkafka.pin)"
}
dsc="$work/src/librdkafka_$version.dsc"
orig="$work/src/librdkafka_$upstream.orig.tar.gz"
check_sha256 "$dsc" "$LIBRDKAFKA_DSC_SHA256"
check_sha256 "$orig" "$LIBRDKAFKA_ORIG_SHA256"
grep -q "^ $LIBRDKAFKA_ORIG_SHA256 [0-9]* librdkafka_$upstream.orig.tar.gz$" "$dsc" ||
  fail "$(basename "$dsc") does not list the pinned orig tarball's sha256"

# Debian's patches only switch cJSON and nanopb to Debian's packages (not in Debian 12); the
# upstream tarball builds them from its own copies. Every other feature is linked against
# Debian 12's libssl, libsasl2, libzstd, liblz4, zlib and libcurl, as Debian's build does.
mkdir -p "$work/build"
tar -xzf "$orig" -C "$work/build" --strip-components=1
cd "$work/build"
say "configure and build (about a minute on 2 cores)"
./configure --prefix="$prefix" --enable-ssl --enable-gssapi --enable-zstd --enable-zlib \
  --enable-lz4-ext --enable-curl --enable-c11threads --disable-syslog >"$work/configure.log" 2>&1 ||
  { tail -40 "$work/configure.log" >&2; fail "configure failed (log: $work/configure.log)"; }
for feature in WITH_SSL WITH_SASL_CYRUS WITH_SASL_SCRAM WITH_SASL_OAUTHBEARER WITH_OAUTHBEARER_OIDC \
  WITH_CURL WITH_ZSTD WITH_LZ4_EXT WITH_ZLIB; do
  grep -q "^#define $feature 1" config.h || fail "configure left out $feature (log: $work/configure.log)"
done
make -C src -j "$(nproc)" >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; fail "build failed (log: $work/build.log)"; }
make -C src install >>"$work/build.log" 2>&1 || fail "install failed (log: $work/build.log)"
echo "$want_stamp" >"$stamp"
cd "$repo"
rm -rf "$work"
say "installed in $prefix"
echo "$prefix"
