# Shared by tsctl's scripts: sourced, not run.
# Everything here is idempotent: a second run installs and builds nothing new.

TSCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TSCTL_CACHE=${TSCTL_CACHE:-$HOME/.cache/tsctl}

# One helper per job: logging, packages, building.
# shellcheck source=Scripts/lib/log.sh
. "$TSCTL_ROOT/Scripts/lib/log.sh"
# shellcheck source=Scripts/lib/packages.sh
. "$TSCTL_ROOT/Scripts/lib/packages.sh"
# shellcheck source=Scripts/lib/build.sh
. "$TSCTL_ROOT/Scripts/lib/build.sh"
