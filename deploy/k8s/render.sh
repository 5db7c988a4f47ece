#!/usr/bin/env bash
# Renders an overlay (local or production) with kubectl's built-in kustomize; installs Debian's
# kubectl (package kubernetes-client) when the machine has none. Usage: render.sh <overlay>
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl not found: installing Debian's kubernetes-client" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq kubernetes-client >&2
  else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq kubernetes-client >&2; fi
fi
kubectl kustomize "overlays/$1"
