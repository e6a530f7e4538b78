# Shared set-up for scripts/demo and scripts/test. Sourced, not run.
# Works on a fresh Debian machine with Python 3.11 and access to the package registries only.

export UV_PYTHON_DOWNLOADS=never      # use the machine's Python 3.11; never download a toolchain
export NO_MKDOCS_2_WARNING=1
export UV_PROJECT_ENVIRONMENT="${UV_PROJECT_ENVIRONMENT:-.venv}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'Erreur : %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "il faut les droits d'administration pour : $* (ou installez-le vous-même)"; fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get introuvable : installez $* avec le gestionnaire de paquets de votre système"
  if [ -z "${VIRAGE_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    export VIRAGE_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_uv() {
  if command -v uv >/dev/null 2>&1; then UV=$(command -v uv); return; fi
  UV=.cache/bootstrap/bin/uv
  [ -x "$UV" ] && return
  say "Installation de uv (depuis PyPI)"
  command -v python3 >/dev/null 2>&1 || die "python3 (3.11 ou plus) est introuvable"
  if ! python3 -m venv .cache/bootstrap >/dev/null 2>&1; then
    rm -rf .cache/bootstrap
    apt_install python3-venv
    python3 -m venv .cache/bootstrap
  fi
  .cache/bootstrap/bin/python -m pip install --quiet --disable-pip-version-check uv
}

sync_env() {
  say "Installation de l'espace de travail (uv sync, verrouillé par uv.lock)"
  "$UV" sync --all-packages --locked --quiet
}

fetch_assets() {
  if ! command -v npm >/dev/null 2>&1 \
    && { [ ! -s docs/javascripts/vendor/mermaid.min.js ] || [ ! -s tests/docs/vendor/axe.min.js ]; }; then
    say "Installation de npm (Debian), pour récupérer mermaid et axe-core"
    apt_install npm
  fi
  ./scripts/fetch-assets
}

build_docs() {
  say "Construction de la documentation (mkdocs build --strict)"
  "$UV" run --no-sync mkdocs build --strict --quiet -d site
}

ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then return; fi
  command -v chromium >/dev/null 2>&1 && return
  say "Installation de Chromium (Debian) pour les tests de bout en bout"
  apt_install chromium
}

# ClamAV's daemon for the antivirus plugin's tests (virage-clamav): they start their own clamd on
# a free port with a local signature database (no freshclam: the signature mirrors are not needed).
ensure_clamav() {
  command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] && return
  say "Installation de ClamAV (Debian) pour les tests de l'antivirus"
  apt_install clamav clamav-daemon
}

# Dovecot's IMAP server for the MSSanté connector's tests (virage-mssante): they start their own
# dovecot in a temporary folder, on 127.0.0.1 and a free port, TLS required. The system service
# the package would start (all interfaces, ports 143/993) is stopped and disabled at once.
ensure_mailserver() {
  command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] && return
  say "Installation de Dovecot (Debian) pour les tests de la passerelle MSSanté"
  apt_install dovecot-imapd
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
  fi
}

# A throwaway PostgreSQL cluster for the test suite: in a temporary folder, on 127.0.0.1 and a
# socket in that folder, fsync off (nothing in it is kept). Sets VIRAGE_TEST_PG_DIR and
# VIRAGE_TEST_PG_URL; stop_postgres removes it.
pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

ensure_postgres() {
  [ -n "$(pg_bin)" ] && return
  say "Installation de PostgreSQL (Debian) pour la suite sur PostgreSQL"
  apt_install postgresql
  [ -n "$(pg_bin)" ] || die "PostgreSQL est installé mais initdb est introuvable"
}

start_postgres() {
  local bin port dir runas=()
  bin=$(pg_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/virage-pg.XXXXXX")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    runas=(runuser -u postgres --)
  fi
  say "PostgreSQL jetable sur 127.0.0.1:$port ($dir)"
  "${runas[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb a échoué"; }
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "PostgreSQL n'a pas démarré"; }
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE virage LOGIN PASSWORD 'virage'" \
    -c "CREATE DATABASE virage_test OWNER virage" >/dev/null
  export VIRAGE_TEST_PG_DIR="$dir" VIRAGE_TEST_PG_BIN="$bin"
  export VIRAGE_TEST_PG_URL="postgresql://virage:virage@127.0.0.1:$port/virage_test"
  export VIRAGE_TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "${VIRAGE_TEST_PG_DIR:-}" ] && [ -d "$VIRAGE_TEST_PG_DIR/data" ] || return 0
  local runas=()
  [ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
  "${runas[@]}" "$VIRAGE_TEST_PG_BIN/pg_ctl" -D "$VIRAGE_TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$VIRAGE_TEST_PG_DIR"
}
