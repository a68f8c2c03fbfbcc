#!/usr/bin/env bash
# Build (or re-check) a separate virtual environment holding Intel's Lava frameworks,
# lava-nc 0.10.0 and lava-dl 0.6.0, for the Loihi 2 / Lava-DL targets' tests.
#
#   scripts/lava-env.sh [--fresh] [VENV_DIR]
#
# VENV_DIR defaults to $NIRC_LAVA_VENV, else .venv-lava at the repository root.
# Re-running on an existing venv only re-checks it (pip finds everything satisfied, the
# patch is already applied); --fresh deletes the venv first.  See docs/lava-env.md.
#
# Why a venv of its own: both packages declare Requires-Python <3.11, and lava-dl pins
# torch<2.4, torchvision 0.18 and numpy<2.  None of that can go into the main environment
# (Python 3.11, torch 2.13.0+cpu), so we install them here with their metadata ignored,
# pick the dependencies by hand, and patch the one line-level incompatibility with 3.11.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

fresh=0
venv=""
for arg in "$@"; do
    case "$arg" in
        --fresh) fresh=1 ;;
        -h|--help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "lava-env: unknown option $arg" >&2; exit 2 ;;
        *) [[ -z "$venv" ]] || { echo "lava-env: more than one VENV_DIR" >&2; exit 2; }
           venv="$arg" ;;
    esac
done
venv="${venv:-${NIRC_LAVA_VENV:-$ROOT/.venv-lava}}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'lava-env: error: %s\n' "$*" >&2; exit 1; }

# The recipe is for CPython 3.11: the local torch wheel is cp311, and the patch below is
# what 3.11 (not 3.10) needs.  Other versions are untested, so refuse them.
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
    || die "$PYTHON is $("$PYTHON" -V 2>&1), need Python 3.11 (set PYTHON=...)"

if [[ $fresh == 1 && -e "$venv" ]]; then
    # Only delete something that is a virtual environment, never an arbitrary folder.
    [[ -f "$venv/pyvenv.cfg" ]] || die "--fresh: $venv exists but is not a venv; not deleting it"
    say "--fresh: removing $venv"
    rm -rf -- "$venv"
fi

if [[ -x "$venv/bin/python" ]]; then
    say "re-checking existing venv $venv (--fresh to rebuild)"
    verb="checking"
    "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
        || die "$venv was made with another Python; re-run with --fresh"
else
    say "creating venv $venv with $("$PYTHON" -V 2>&1)"
    verb="installing"
    "$PYTHON" -m venv "$venv"
fi
py="$venv/bin/python"
# pip install, quiet.  This machine's pip config names local index folders that may be
# absent; drop pip's one warning line per package about that, keep everything else.
pip_install() {
    local rc=0
    "$py" -m pip --no-input install --quiet "$@" 2>&1 \
        | { grep -v 'is neither a file nor a directory' || true; } || rc=$?
    return $rc
}

# 1. Dependencies, resolved together so no step undoes another (torch wants networkx,
#    lava-nc caps it at 2.8.7).  torch is pinned exactly: pip takes the CPU wheel in
#    /opt/wheels, whereas a bare or ranged "torch" may pull a CUDA build of several GB.
#    numpy<2 because lava uses numpy 1.x APIs.  The ranges are lava-nc/lava-dl's own.
#    Left out on purpose: torchvision (PyPI's build needs CUDA torch: "operator
#    torchvision::nms does not exist"; see the stub in lava_check.py), pytest<8 and
#    unittest2 (only for lava-dl's own test suite).  nir/nirtorch match nirc's pins.
say "$verb dependencies (torch==2.13.0 CPU, numpy<2, ...)"
pip_install \
    torch==2.13.0 "numpy>=1.24.4,<2" \
    "asteval>=0.9.31,<0.10" "networkx<=2.8.7" "scikit-learn>=1.5,<2" "scipy>=1.10.1,<2" \
    "h5py>=3.7,<4" "matplotlib>=3.5.2,<4" "ninja>=1.10.2.3,<2" "pillow>=10.0.1,<11" \
    "opencv-python-headless>=4.8.1.78,<5" nir==1.0.8 nirtorch==2.6

# 2. The frameworks themselves, without their metadata: --ignore-requires-python for the
#    <3.11 pin, --no-deps so pip does not try to satisfy torch<2.4 / torchvision.
say "$verb lava-nc 0.10.0 and lava-dl 0.6.0 (--no-deps --ignore-requires-python)"
pip_install --no-deps --ignore-requires-python lava-nc==0.10.0 lava-dl==0.6.0

# 3. Python 3.11 rejects mutable (unhashable) dataclass defaults (bpo-44674), and
#    lava/magma/compiler/var_model.py has 8 fields `x: ByteEncoder = ByteEncoder()`: any
#    lava import fails.  This is the real reason for lava's <3.11 pin.  Rewrite them to
#    field(default_factory=ByteEncoder).  Idempotent; fails if the file is not as expected.
say "patching lava/magma/compiler/var_model.py for Python 3.11"
"$py" - <<'EOF'
import importlib.util, pathlib, re, sys
spec = importlib.util.find_spec("lava")  # not "lava.magma...": that import is what fails
path = pathlib.Path(spec.submodule_search_locations[0], "magma", "compiler", "var_model.py")
src = path.read_text()
bad = re.compile(r"^(\s+\w+: ByteEncoder) = ByteEncoder\(\)$", re.M)
good = "= field(default_factory=ByteEncoder)"
n_bad, n_good = len(bad.findall(src)), src.count(good)
if n_bad == 0 and n_good == 8:
    print(f"    already patched ({path})")
    sys.exit(0)
if n_bad + n_good != 8:
    sys.exit(f"lava-env: {path}: expected 8 fields 'x: ByteEncoder = ByteEncoder()', found "
             f"{n_bad} unpatched and {n_good} patched: is lava-nc not 0.10.0?")
src = bad.sub(r"\1 " + good, src)
imp = "from dataclasses import dataclass, InitVar"
if not re.search(r"^from dataclasses import .*\bfield\b", src, re.M):
    if imp + "\n" not in src:
        sys.exit(f"lava-env: {path}: no line '{imp}' to add 'field' to")
    src = src.replace(imp + "\n", imp + ", field\n")
path.write_text(src)
print(f"    patched {n_bad} fields in {path}")
EOF

# 4. Self-check: the imports the targets need, versions, and the real frameworks
#    reproducing the reference spike times of the NIR paper's LIF benchmark.
say "self-check: imports and versions"
"$py" - <<'EOF'
import sys, types
from importlib.metadata import version
import lava.magma, lava.proc.lif.process, lava.proc.dense.process  # noqa: F401
# lava.lib.dl.slayer imports its object_detection subpackage, which needs torchvision
# (not installable here); a stub module in its place, no file edited.
sys.modules["lava.lib.dl.slayer.object_detection"] = types.ModuleType(
    "lava.lib.dl.slayer.object_detection")
import lava.lib.dl.slayer, lava.lib.dl.netx  # noqa: F401
import numpy, torch
print("    python", sys.version.split()[0], "| lava-nc", version("lava-nc"),
      "| lava-dl", version("lava-dl"), "| torch", torch.__version__, "| numpy", numpy.__version__)
EOF

say "self-check: scripts/lava_check.py (LIF benchmark in lava-nc and lava-dl)"
"$py" "$ROOT/scripts/lava_check.py" || die "lava_check.py failed"
say "OK in ${SECONDS}s: $venv  (run: $py ...)"
