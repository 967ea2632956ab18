#!/usr/bin/env sh
# azd prepackage hook of the `probe` service (azure.yaml), also run by deploy-other-sites.sh.
#
# Builds the one package every probe site runs, in .azure-package/ at the repository root: the compiled dist/src,
# host.json, package.json and package-lock.json, and production dependencies only (npm ci --omit=dev), without the
# files Node never loads (source maps, type declarations, TypeScript sources, Markdown: scripts/prune-package.mjs,
# about two thirds of the bytes). azure.yaml points the service's `dist` at this folder, so azd zips exactly this for
# the first site, and the postdeploy hook zips the same folder for the others: one production-only package for every
# site, built locally (remoteBuild: false; src/ is not in the package, so a remote build could not work).
#
#   DRY_RUN=1   print what would be built, change nothing (used by the tests)
set -eu

root="$(pwd)"
out="$root/.azure-package"

if [ "${DRY_RUN:-}" = "1" ]; then
  echo "package: would build $out from dist/src, host.json, package.json, package-lock.json and production dependencies, pruned by scripts/prune-package.mjs"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "package: npm is required" >&2; exit 1; }

(cd "$root" && npm run build --silent)
rm -rf "$out"
mkdir -p "$out/dist"
cp -R "$root/dist/src" "$out/dist/src"
cp "$root/host.json" "$root/package.json" "$root/package-lock.json" "$out/"
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
node "$root/scripts/prune-package.mjs" "$out/node_modules"
echo "package: $out ready ($(du -sk "$out" | cut -f1) KiB, production dependencies only)"
