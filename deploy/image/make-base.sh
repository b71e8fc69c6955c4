#!/bin/sh
# make-base.sh OUT.tar: the container image's base, made from Debian's packages on this machine
# for Jib's from.image (tar://OUT.tar), where no container registry can be reached: Debian 12
# (debootstrap, variant minbase) with openjdk-17-jre-headless and a user warmpool (1000:1000), as
# a Docker-archive tarball of one layer. The root file system is kept beside OUT.tar (in
# image-base/) and reused by the next run. Needs root, debootstrap (installed from Debian's
# packages when missing) and a Debian mirror (DEBIAN_MIRROR).
set -eu
out=$1
work=$(dirname "$out")/image-base
rootfs=$work/rootfs
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$rootfs/usr/bin/java" ]; then
  command -v debootstrap >/dev/null || {
    echo "installing Debian's debootstrap to make the image's base"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
  }
  rm -rf "$rootfs"
  mkdir -p "$work"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror"
fi
# what only apt and people read: downloaded packages, package lists, documentation
rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
if ! grep -q '^warmpool:' "$rootfs/etc/passwd"; then
  echo 'warmpool:x:1000:1000:warmpool:/home/warmpool:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
  echo 'warmpool:x:1000:' >> "$rootfs/etc/group"
  mkdir -p "$rootfs/home/warmpool"
  chown 1000:1000 "$rootfs/home/warmpool"
  chmod 700 "$rootfs/home/warmpool"
fi

layer=$work/layer.tar
tar --numeric-owner --xattrs -C "$rootfs" -cf "$layer" .
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)
archive=$work/archive
rm -rf "$archive"
mkdir -p "$archive/$diff_id"
mv "$layer" "$archive/$diff_id/layer.tar"
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$diff_id" > "$archive/config.json"
config_id=$(sha256sum "$archive/config.json" | cut -d' ' -f1)
mv "$archive/config.json" "$archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["warmpool-base:bookworm"],"Layers":["%s/layer.tar"]}]' \
  "$config_id" "$diff_id" > "$archive/manifest.json"
# entries named without "./": Jib refuses an archive entry that names its own destination
tar -C "$archive" -cf "$out" manifest.json "$config_id.json" "$diff_id/layer.tar"
rm -rf "$archive"
echo "$out: Debian 12, $(ls "$rootfs/usr/lib/jvm"), $(du -h "$out" | cut -f1)"
