#!/bin/bash
# Builds .gpu/ (git-ignored), what the GPU machine needs: the command line and the data maker as
# self-contained bundles (that machine has no node_modules), the WASM binaries, Node itself and Dawn's
# dawn.node compressed, and the Vulkan/GL loader packages. Then, through the device tool:
#   run: bash bench/gpu/run.sh   carry: [".gpu"]   (~31 MB; the tracked tree ~30 MB; 64 MiB in all)
set -eu
cd "$(dirname "$0")/../.."
mkdir -p .gpu/dist && grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.gpu/' >> .git/info/exclude; }
ENTRY=src/cli/main.ts NAME=cli.mjs npx vite build --config bench/gpu/vite.bundle.config.ts
ENTRY=bench/gpu/make-data.mjs NAME=make-data.mjs npx vite build --config bench/gpu/vite.bundle.config.ts
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd}.wasm .gpu/dist/
[ -s .gpu/node.xz ] || xz -9 -T2 -c "$(command -v node)" > .gpu/node.xz
if [ ! -s .gpu/dawn.node.xz ]; then # Dawn's Node bindings: the npm package webgpu (its linux-x64 build)
  t=$(mktemp -d); (cd "$t" && npm pack -q webgpu@0.6.2 >/dev/null && tar xzf webgpu-0.6.2.tgz package/dist/linux-x64/dawn.node)
  xz -9 -c "$t/package/dist/linux-x64/dawn.node" > .gpu/dawn.node.xz; rm -rf "$t"
fi
if ! ls .gpu/libvulkan1_*.deb >/dev/null 2>&1; then
  mkdir -p /tmp/amd64/partial; o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null; (cd .gpu && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh .gpu
