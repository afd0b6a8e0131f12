#!/usr/bin/env bash
# The command line on a demo practice: an encrypted vault (default ~/Tresor-Demo) filled with a
# generated practice, then a look at it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --locked -q
T=target/release/tresor
export TRESOR_VAULT="${TRESOR_VAULT:-$HOME/Tresor-Demo}"
export TRESOR_PASSWORD="${TRESOR_PASSWORD:-demo-password}"
if [ ! -f "$TRESOR_VAULT/vault.key" ]; then
  "$T" init
  "$T" practice set --name "Mag. Brigitte Öhlinger" --profession Psychotherapeutin \
    --address "Lindengasse 5" --postal-code 1070 --city Wien --country AT \
    --iban "AT61 1904 3002 3457 3201" --bic BKAUATWW --tax-number "12 345/6789"
  "$T" demo --clients 200 --sessions 5000
fi
"$T" stats
"$T" client list --limit 10
"$T" search "Prüfungsangst" --limit 3
echo
echo "Vault: $TRESOR_VAULT (password from TRESOR_PASSWORD). Try: $T --help"
