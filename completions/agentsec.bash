# bash completion for agentsec — generated from the command tree by `npm run docs`; do not edit
_agentsec() {
  local cur prev path w i words
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --config|--dotenv|--hash-file|--home|--jsonl|--key-file|--output|--pubkey-file|--secret-file|--state|--token-file|-o) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  path=""
  for ((i=1; i<COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    case "$path/$w" in
      "/init"|"/doctor"|"/audit"|"/audit/init"|"/audit/verify"|"/audit/append"|"/audit/seal"|"/audit/log"|"/audit/export"|"/audit/status"|"/audit/rekey"|"/secret"|"/secret/generate"|"/secret/rotate"|"/secret/status"|"/secret/check"|"/password"|"/password/hash"|"/password/verify"|"/keys"|"/keys/issue"|"/keys/list"|"/keys/show"|"/keys/verify"|"/keys/rotate"|"/keys/revoke"|"/keys/scan"|"/lint"|"/lint/rules"|"/lint/explain"|"/jwt"|"/jwt/keygen"|"/jwt/keys"|"/jwt/keys/retire"|"/jwt/issue"|"/jwt/verify"|"/jwt/decode"|"/jwt/jwks"|"/jwt/refresh"|"/jwt/revoke"|"/totp"|"/totp/enroll"|"/totp/confirm"|"/totp/verify"|"/totp/list"|"/totp/backup-codes"|"/totp/remove"|"/blocks"|"/blocks/add"|"/blocks/remove"|"/blocks/list"|"/blocks/check"|"/blocks/record"|"/blocks/policy"|"/blocks/purge"|"/blocks/ingest"|"/blocks/tail"|"/blocks/export"|"/blocks/import"|"/completion"|"/help") path="$path/$w" ;;
    esac
  done
  case "$path" in
    "") words="init doctor audit secret password keys lint jwt totp blocks completion help -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/init") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/doctor") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit") words="init verify append seal log export status rekey -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/init") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/verify") words="--pubkey --pubkey-file --accept-reset --jsonl --state --since-epoch --epoch --clock-skew --strict -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/append") words="--type --actor --data -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/seal") words="--force -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/log") words="--type --since --until --actor --limit -f --follow -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/export") words="--since-epoch --output -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/status") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/audit/rekey") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/secret") words="generate rotate status check -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/secret/generate") words="--bytes --encoding --count --allow-weak -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/secret/rotate") words="--dotenv --secret-file --create --no-keep-previous --grace --if-older-than --dry-run --then --bytes --encoding -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/secret/status") words="--dotenv --max-age -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/secret/check") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/password") words="hash verify -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/password/hash") words="--preset -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/password/verify") words="--hash --hash-file --preset -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys") words="issue list show verify rotate revoke scan -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/issue") words="--name --role --scope --expires --allow-ip --prefix --meta -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/list") words="--all -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/show") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/verify") words="--ip --scope --key-file -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/rotate") words="--grace -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/revoke") words="--reason -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/keys/scan") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/lint") words="rules explain -f --format -o --output --fail-on --profile --config --allow-skipped -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/lint/rules") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/lint/explain") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt") words="keygen keys issue verify decode jwks refresh revoke -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/keygen") words="--alg --secret-file --allow-weak -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/keys") words="retire -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/keys/retire") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/issue") words="--sub --aud --iss --scope --role --ttl --claim --refresh --refresh-ttl -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/verify") words="--aud --iss --scope --max-age --refresh --token-file -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/decode") words="--token-file -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/jwks") words="--output -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/refresh") words="--token-file -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/jwt/revoke") words="--jti --sub -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp") words="enroll confirm verify list backup-codes remove -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/enroll") words="--issuer --algorithm --digits --period --force -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/confirm") words="--code --window -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/verify") words="--code --ip --window -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/list") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/backup-codes") words="--regenerate -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/totp/remove") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks") words="add remove list check record policy purge ingest tail export import -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/add") words="--for --until --permanent --reason -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/remove") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/list") words="--all -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/check") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/record") words="--kind --reason --ipv6-prefix -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/policy") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/purge") words="--older-than -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/ingest") words="--format -f --follow --ipv6-prefix -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/tail") words="-n --lines -f --follow -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/export") words="--format --output --then -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/blocks/import") words="--from -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/completion") words="bash zsh fish -V --version --home --json -q --quiet --no-color -y --yes --help" ;;
    "/help") words="-V --version --home --json -q --quiet --no-color -y --yes --help" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _agentsec agentsec
