# Shared by ./run and ./test: installs what is missing, and nothing that is already there.
# Every step checks first, so a second run costs seconds. Sourced, not executed.

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen crate version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done
  if ! command -v cc >/dev/null || ! command -v pkg-config >/dev/null; then
    say "installing a C toolchain"
    apt_install build-essential pkg-config
  fi
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; about 15 minutes)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; about 3 minutes)"
    # Not --locked: a locked dependency of this version is missing from the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_node_packages() {
  if ! command -v npm >/dev/null; then
    say "installing Node.js"
    apt_install nodejs npm
  fi
  # Tailwind, wasm-opt (binaryen) and Playwright come from npm, pinned by package-lock.json;
  # cargo-leptos finds them in node_modules/.bin instead of downloading its own.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    # `npm install`, not `npm ci`: the lock file holds only the platform packages the registry
    # serves here (Linux), which `npm ci` refuses as out of sync; versions are exact either way.
    npm install --no-audit --no-fund --loglevel=error
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
  # The API docs page (/api/docs) serves Swagger UI from the site, never from a CDN.
  for file in swagger-ui-bundle.js swagger-ui.css; do
    cmp -s "node_modules/swagger-ui-dist/$file" "public/api-docs/$file" \
      || cp "node_modules/swagger-ui-dist/$file" "public/api-docs/$file"
  done
}

ensure_build_tools() {
  ensure_rust
  ensure_cargo_leptos
  ensure_node_packages
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium (Debian's package)"
    apt_install chromium
  fi
}

# Starts the local PostgreSQL, or installs it from Debian's packages, when none answers on
# 127.0.0.1:5432. A PostgreSQL elsewhere (OIKOS_TEST_POSTGRES_URL) is only checked.
ensure_postgres() {
  if pg_answers; then return; fi
  case "$OIKOS_TEST_POSTGRES_URL" in
    *@127.0.0.1:5432/* | *@localhost:5432/*) ;;
    *) echo "PostgreSQL at OIKOS_TEST_POSTGRES_URL does not answer" >&2; exit 1 ;;
  esac
  local installed=
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt_install postgresql postgresql-client
    installed=1
  fi
  say "starting PostgreSQL"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  if [ -n "$installed" ] && ! pg_answers; then
    # A fresh cluster wants a password over TCP: give its postgres user the one tests use.
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
  pg_answers || { echo "PostgreSQL on 127.0.0.1:5432 does not accept OIKOS_TEST_POSTGRES_URL" >&2; exit 1; }
}

pg_answers() {
  command -v psql >/dev/null &&
    psql "${OIKOS_TEST_POSTGRES_URL}" -qtAc 'SELECT 1' >/dev/null 2>&1
}

# The Python peers the integration tests start: a real SMTP server (aiosmtpd), an OpenID
# Connect provider (oidc-provider-mock) and a stateful Stripe (localstripe), in a virtualenv
# under $HOME that CI runs reuse.
PEERS_DIR="${OIKOS_PEERS_DIR:-$HOME/.cache/oikos/peers}"
ensure_python_peers() {
  if ! command -v python3 >/dev/null; then
    say "installing Python"
    apt_install python3 python3-venv
  fi
  if ! "$PEERS_DIR/bin/python" -c 'import aiosmtpd, oidc_provider_mock, localstripe' 2>/dev/null; then
    say "installing the Python test peers (aiosmtpd, oidc-provider-mock, localstripe)"
    python3 -m venv "$PEERS_DIR" || { apt_install python3-venv && python3 -m venv "$PEERS_DIR"; }
    "$PEERS_DIR/bin/pip" install -q aiosmtpd==1.4.6 oidc-provider-mock==0.3.4 localstripe==1.15.10
  fi
  export OIKOS_PEERS_BIN="$PEERS_DIR/bin"
}

# schemathesis, in a venv of its own (its pins differ from the peers'), for the API contract.
SCHEMATHESIS_DIR="${SCHEMATHESIS_DIR:-$HOME/.cache/oikos/schemathesis}"
ensure_schemathesis() {
  if ! "$SCHEMATHESIS_DIR/bin/schemathesis" --version 2>/dev/null | grep -q '4.32.5'; then
    say "installing schemathesis"
    python3 -m venv "$SCHEMATHESIS_DIR" || { apt_install python3-venv && python3 -m venv "$SCHEMATHESIS_DIR"; }
    "$SCHEMATHESIS_DIR/bin/pip" install -q schemathesis==4.32.5
  fi
  export SCHEMATHESIS="$SCHEMATHESIS_DIR/bin/schemathesis"
}
