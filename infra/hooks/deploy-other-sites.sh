#!/usr/bin/env sh
# azd postdeploy hook of the `probe` service (azure.yaml).
#
# azd deploys a service to exactly one resource: the Function App tagged azd-service-name=probe, which main.bicep
# puts on the first probe site. Every other site runs the same code, so this hook publishes the same package to
# their Function Apps (zip deploy with the Azure CLI, Microsoft Entra auth; basic publishing credentials are off).
#
# Inputs (azd passes its environment, including main.bicep's outputs, to hooks):
#   AZURE_RESOURCE_GROUP        resource group of the apps
#   PROBE_FUNCTION_APP_NAMES    space-separated names of every site's Function App
#   SERVICE_PROBE_NAME          the app azd itself deployed to (skipped here)
#   DEPLOY_PARALLELISM          sites published at once (default 8, 1-64): 300 sites take about 300/8 rounds
#   DRY_RUN=1                   print what would be deployed, change nothing (used by the tests)
#
# The package is .azure-package/, built by infra/hooks/package.sh (the service's prepackage hook): the compiled
# dist/src, host.json, package.json and production dependencies only, the same bytes azd deployed to the first site.
# Run from the repository root (azd runs service hooks in the service's folder).
set -eu

: "${AZURE_RESOURCE_GROUP:?AZURE_RESOURCE_GROUP is not set (run through azd, or export it)}"
: "${PROBE_FUNCTION_APP_NAMES:?PROBE_FUNCTION_APP_NAMES is not set (run azd provision first)}"
primary="${SERVICE_PROBE_NAME:-}"
parallel="${DEPLOY_PARALLELISM:-8}"
case "$parallel" in
  '' | *[!0-9]*) echo "deploy-other-sites: DEPLOY_PARALLELISM must be a whole number from 1 to 64, got '$parallel'" >&2; exit 2 ;;
esac
if [ "$parallel" -lt 1 ] || [ "$parallel" -gt 64 ]; then
  echo "deploy-other-sites: DEPLOY_PARALLELISM must be a whole number from 1 to 64, got '$parallel'" >&2
  exit 2
fi

others=""
for app in $PROBE_FUNCTION_APP_NAMES; do
  if [ "$app" != "$primary" ]; then
    others="$others $app"
  fi
done

if [ -z "$others" ]; then
  echo "deploy-other-sites: one probe site only; azd already deployed it."
  exit 0
fi

if [ "${DRY_RUN:-}" = "1" ]; then
  for app in $others; do
    echo "deploy-other-sites: would deploy to $app in $AZURE_RESOURCE_GROUP"
  done
  exit 0
fi

for tool in az npm zip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "deploy-other-sites: '$tool' is required to deploy to the other probe sites ($others)" >&2
    exit 1
  fi
done

root="$(pwd)"
stage="$(mktemp -d "${TMPDIR:-/tmp}/kvprobe-package.XXXXXX")"
trap 'rm -rf "$stage"' EXIT

# The same folder azd deployed to the first site (its prepackage hook built it); built here when run on its own.
if [ ! -f "$root/.azure-package/host.json" ]; then
  sh "$root/infra/hooks/package.sh"
fi
(cd "$root/.azure-package" && zip -qr "$stage/package.zip" .)

# At most $parallel publishes at once; xargs exits non-zero when any of them failed, and set -e stops here.
printf '%s\n' $others | xargs -P "$parallel" -I{} sh -c '
  echo "deploy-other-sites: deploying to $1"
  az functionapp deployment source config-zip --resource-group "$2" --name "$1" --src "$3" --output none ||
    { echo "deploy-other-sites: deployment to $1 failed" >&2; exit 1; }
' deploy-one {} "$AZURE_RESOURCE_GROUP" "$stage/package.zip"
echo "deploy-other-sites: done"
