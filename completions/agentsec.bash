# bash completion for agentsec — generated from the command tree by `npm run docs`; do not edit
_agentsec() {
  local cur prev path w i words
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --home) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  path=""
  for ((i=1; i<COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    case "$path/$w" in
      "/init"|"/doctor"|"/completion"|"/help") path="$path/$w" ;;
    esac
  done
  case "$path" in
    "") words="init doctor completion help -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/init") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/doctor") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/completion") words="bash zsh fish -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/help") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _agentsec agentsec
