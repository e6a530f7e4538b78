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
