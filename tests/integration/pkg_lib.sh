# Shared by the packaging tests (after lib.sh and it_setup): make in the repo with the
# suite's build directory, a scratch directory, and the file list of an install root.
MK=(make -s -C "$REPO" BUILD="$BUILD")
T=$IT_TMP/pkg
mkdir -p "$T"

# files DIR: every file and symlink under DIR, relative to it, sorted.
files() { (cd "$1" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./|/|' | sort); }
