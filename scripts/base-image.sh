#!/usr/bin/env bash
# A Debian base image made from Debian's archive, for machines that reach Debian's package
# archive but no image registry (the images' public bases, debian:bookworm and
# debian:bookworm-slim, cannot be pulled there):
#   bash scripts/base-image.sh [NAME]        # default daikiri-base/debian:bookworm
# debootstrap --variant=minbase into a temporary folder, apt sources for bookworm, -updates
# and -security, documentation and caches removed (what the -slim images drop), then
# `docker import`. Quick when the image exists already. Needs root, debootstrap and a daemon.
set -euo pipefail
NAME=${1:-daikiri-base/debian:bookworm}
SUITE=${SUITE:-bookworm}
say() { printf '[base-image] %s\n' "$*" >&2; }

if docker image inspect "$NAME" >/dev/null 2>&1; then
  say "$NAME exists"
  exit 0
fi
command -v debootstrap >/dev/null || {
  say "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
# the host's own Debian mirror (deb822 or one-line sources), else Debian's public one
MIRROR=${MIRROR:-$(
  { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } \
    | grep -v -e security -e '^$' | grep -i debian | head -1 || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-${MIRROR%/debian}/debian-security}

ROOTFS=$(mktemp -d "${TMPDIR:-/tmp}/daikiri-rootfs-XXXX")
trap 'rm -rf "$ROOTFS"' EXIT
started=$(date +%s)
say "debootstrap $SUITE from $MIRROR"
debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || {
  tail -20 "$ROOTFS.log" >&2; rm -f "$ROOTFS.log"; exit 1; }
rm -f "$ROOTFS.log"
cat > "$ROOTFS/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
EOF
# what Debian's -slim images leave out: documentation, man pages, apt lists and caches
cat > "$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
# (the folders stay: maintainer scripts such as Java's update-alternatives link into man1)
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$ROOTFS/usr/share/man" "$ROOTFS/usr/share/info" -not -type d -delete
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*
find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
tar --numeric-owner -C "$ROOTFS" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$NAME" >/dev/null
say "$NAME: $(docker image inspect -f '{{.Size}}' "$NAME" | awk '{printf "%.0f MB", $1/1e6}')" \
    "in $(( $(date +%s) - started )) s"
