#!/usr/bin/env bash
# Installs the Bicep CLI into .tools/bicep/ for the infra tests (test/infra/bicep.test.ts) and local builds.
#
# The Bicep CLI ships as a self-contained binary inside the NuGet package Azure.Bicep.CommandLine.<rid>. We let
# `dotnet restore` of a throwaway project download that package (NuGet is reachable where GitHub releases are not),
# then copy the binary out. Idempotent: does nothing when .tools/bicep/bicep --version already works and reports the
# pinned version (another version is replaced).
#
# Usage: scripts/install-bicep.sh            (installs the pinned version)
#        BICEP_VERSION=0.49.2 scripts/install-bicep.sh
# Exits non-zero when the install fails.
set -euo pipefail

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/bicep"
bin="$dest/bicep"

if [ -x "$bin" ] && current="$("$bin" --version 2>/dev/null)"; then
  case "$current" in
    *" $BICEP_VERSION "*)
      echo "install-bicep: already installed: $current at $bin"
      exit 0
      ;;
    *) echo "install-bicep: replacing $current with $BICEP_VERSION" >&2 ;;
  esac
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  *) echo "install-bicep: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-bicep: the .NET SDK (dotnet) is required to restore Azure.Bicep.CommandLine.$rid from NuGet" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/install-bicep.XXXXXX")"
trap 'rm -rf "$work"' EXIT

package="Azure.Bicep.CommandLine.$rid"
cat >"$work/bicep-download.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
CSPROJ

echo "install-bicep: restoring $package $BICEP_VERSION from NuGet" >&2
if ! DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet restore "$work/bicep-download.csproj" --packages "$work/packages" --nologo >"$work/restore.log" 2>&1; then
  cat "$work/restore.log" >&2
  echo "install-bicep: dotnet restore failed" >&2
  exit 1
fi

# NuGet lower-cases package folder names.
pkgdir="$work/packages/$(echo "$package" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION"
src="$pkgdir/tools/bicep"
if [ ! -f "$src" ]; then
  echo "install-bicep: $src not found in the restored package; contents:" >&2
  find "$pkgdir" -maxdepth 3 >&2 || true
  exit 1
fi

mkdir -p "$dest"
cp "$src" "$bin.tmp"
chmod +x "$bin.tmp"
mv -f "$bin.tmp" "$bin"

if ! version="$("$bin" --version 2>&1)"; then
  echo "install-bicep: $bin does not run: $version" >&2
  exit 1
fi
echo "install-bicep: installed $version at $bin"
