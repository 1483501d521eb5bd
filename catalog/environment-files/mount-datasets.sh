#!/bin/bash
# Mounts the datasets of an environment with Mountpoint for Amazon S3 (mount-s3).
#   mount-datasets.sh <dataset-mounts.json> [<root directory>]
# The JSON is a list of {"name", "bucket" (an S3 access point alias), "prefix", "accessLevel"};
# each dataset appears at <root>/<name>, owned by ec2-user. Only accessLevel "read-write" mounts
# writable; anything else mounts read-only. Runs as root from the notebook's OnStart script.
set -uo pipefail

MOUNTS_FILE=${1:?usage: mount-datasets.sh <dataset-mounts.json> [root]}
ROOT=${2:-/home/ec2-user/SageMaker/datasets}
HERE=$(cd "$(dirname "$0")" && pwd)
USER_NAME=ec2-user

install_mountpoint() {
  command -v mount-s3 >/dev/null 2>&1 && return 0
  # Private subnets have no internet route: an admin may ship the RPM with these files.
  if [ -f "$HERE/mount-s3.rpm" ]; then
    yum install -y -q "$HERE/mount-s3.rpm"
  else
    yum install -y -q "https://s3.amazonaws.com/mountpoint-s3-release/latest/$(uname -m)/mount-s3.rpm"
  fi
}

region() {
  local token
  token=$(curl -s -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 60")
  curl -s -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/placement/region
}

# One tab-separated line per valid dataset: name, bucket, prefix, read-write|read-only.
entries() {
  python3 - "$MOUNTS_FILE" <<'PY'
import json, re, sys
try:
    mounts = json.load(open(sys.argv[1]))
except (OSError, ValueError) as exc:
    sys.exit(f"cannot read {sys.argv[1]}: {exc}")
for m in mounts if isinstance(mounts, list) else []:
    name, bucket = str(m.get("name", "")), str(m.get("bucket", ""))
    prefix = str(m.get("prefix", "")).strip("/")
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,128}", name) or name in (".", ".."):
        print(f"skipping dataset with invalid name {name!r}", file=sys.stderr)
        continue
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        print(f"skipping dataset {name}: invalid bucket {bucket!r}", file=sys.stderr)
        continue
    if not re.fullmatch(r"[A-Za-z0-9!_.*'()/ -]*", prefix):
        print(f"skipping dataset {name}: invalid prefix", file=sys.stderr)
        continue
    level = "read-write" if m.get("accessLevel") == "read-write" else "read-only"
    print("\t".join((name, bucket, prefix, level)))
PY
}

main() {
  local lines failed=0
  lines=$(entries) || return 1
  [ -z "$lines" ] && { echo "no datasets to mount"; return 0; }
  install_mountpoint || { echo "mount-s3 is not available"; return 1; }
  local aws_region uid gid
  aws_region=$(region)
  uid=$(id -u "$USER_NAME") gid=$(id -g "$USER_NAME")
  mkdir -p "$ROOT" && chown "$USER_NAME:$USER_NAME" "$ROOT"
  while IFS=$'\t' read -r name bucket prefix level; do
    local dir="$ROOT/$name"
    mkdir -p "$dir" && chown "$USER_NAME:$USER_NAME" "$dir"
    if mountpoint -q "$dir"; then
      echo "$name already mounted"
      continue
    fi
    local args=(--allow-other --uid "$uid" --gid "$gid" --region "$aws_region")
    [ -n "$prefix" ] && args+=(--prefix "$prefix/")
    if [ "$level" = "read-write" ]; then
      args+=(--allow-delete --allow-overwrite)
    else
      args+=(--read-only)
    fi
    if mount-s3 "${args[@]}" "$bucket" "$dir"; then
      echo "mounted $name ($level) at $dir"
    else
      echo "FAILED to mount $name"
      failed=1
    fi
  done <<< "$lines"
  return "$failed"
}

main
