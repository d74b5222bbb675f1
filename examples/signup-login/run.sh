#!/usr/bin/env bash
# Runs the sign-up/log-in example against a local `coffer serve`: an encrypted store under a local
# keystore, DynamoDB and KMS on one port, two principals (the key administrator and the
# application), then the example's own setup and its web server. Ctrl-C stops both.
#
# Usage: examples/signup-login/run.sh [--dynalite]     (from anywhere; needs a JDK 17+)
#   --dynalite: DynamoDB calls go to dynalite (npm; needs node and npm), KMS calls to coffer serve.
#   (to run the same application against a second DynamoDB implementation).
# Settings: COFFER_PORT (default 8000), APP_PORT (default 8080), DYNALITE_PORT (default 4567), COFFER_KEYSTORE_PASSPHRASE
# (default: a demo passphrase). State (keystore, store, access keys) is kept in
# examples/signup-login/target/run, so a second run finds its accounts again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
coffer_port="${COFFER_PORT:-8000}"
app_port="${APP_PORT:-8080}"
dynalite_port="${DYNALITE_PORT:-4567}"
case "${1:-}" in
  "") use_dynalite=false ;;
  --dynalite) use_dynalite=true ;;
  *) echo "usage: $0 [--dynalite]" >&2; exit 2 ;;
esac
work="$here/target/run"
mkdir -p "$work"

echo "== building the example (first run: the Maven wrapper downloads Maven and the dependencies)"
(cd "$root" && ./mvnw -q -B -ntp -DskipTests -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt \
    package dependency:build-classpath -pl examples/signup-login -am)
classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"
signup() { java -cp "$classpath" dev.coffer.example.signup.Main "$@"; }

echo "== the store's master key, in a local keystore"
export COFFER_KEYSTORE_PASSPHRASE="${COFFER_KEYSTORE_PASSPHRASE:-signup-login example passphrase}"
export COFFER_KEY_PROVIDER="local:$work/keystore?create"
if ! "$root/coffer" kms describe-key --key-id alias/coffer-store >/dev/null 2>&1; then
  key_id=$("$root/coffer" kms create-key --description "coffer serve store key" --query KeyMetadata.KeyId --output text)
  "$root/coffer" kms create-alias --alias-name alias/coffer-store --target-key-id "$key_id"
fi
account=$("$root/coffer" kms describe-key --key-id alias/coffer-store --query KeyMetadata.Arn --output text | cut -d: -f5)
admin_arn="arn:aws:iam::$account:user/admin"
app_arn="arn:aws:iam::$account:user/app"
# Every DynamoDB data call through coffer serve needs kms:Decrypt on the store's master key: the
# application gets it (as on AWS its IAM policy would give it dynamodb:PutItem, GetItem, ...); the
# key administrator does not, so it cannot read the users table.
"$root/coffer" kms put-key-policy --key-id alias/coffer-store --policy "{\"Version\": \"2012-10-17\", \"Statement\": [
  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::$account:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},
  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"$app_arn\"}, \"Action\": [\"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\"}]}"
# The account policy is the IAM side of the key policies (on AWS, the administrator's IAM identity
# policy): the key administrator may create keys, list aliases and create the application key's
# alias. Everything else it does with that key, the key's own policy decides (manage, never use).
"$root/coffer" kms put-account-policy --policy "{\"Version\": \"2012-10-17\", \"Statement\": [
  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"$admin_arn\"}, \"Action\": [\"kms:CreateKey\", \"kms:ListAliases\"], \"Resource\": \"*\"},
  {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"$admin_arn\"}, \"Action\": \"kms:CreateAlias\",
   \"Resource\": \"arn:aws:kms:*:$account:alias/signup-login\"}]}"

echo "== access keys for the principals admin and app ($work/credentials.csv)"
if [ ! -f "$work/credentials.csv" ]; then
  new_id() { printf 'AKIA%s' "$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n' | tr a-f A-F)"; }
  new_secret() { head -c 30 /dev/urandom | base64 | tr -d '\n'; }
  (umask 077 && printf '%s,%s,admin\n%s,%s,app\n' "$(new_id)" "$(new_secret)" "$(new_id)" "$(new_secret)" \
      > "$work/credentials.csv")
fi
IFS=, read -r admin_id admin_secret _ < <(sed -n 1p "$work/credentials.csv")
IFS=, read -r app_id app_secret _ < <(sed -n 2p "$work/credentials.csv")

echo "== coffer serve on http://127.0.0.1:$coffer_port (log: $work/coffer-serve.log)"
export COFFER_STORE="$work/store" COFFER_MASTER_KEY=alias/coffer-store
"$root/coffer" serve --port "$coffer_port" --credentials-file "$work/credentials.csv" > "$work/coffer-serve.log" 2>&1 &
serve_pid=$!
dynalite_pid=
trap 'kill $serve_pid $dynalite_pid 2>/dev/null; wait $serve_pid $dynalite_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if grep -q "listening on" "$work/coffer-serve.log"; then break; fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then cat "$work/coffer-serve.log" >&2; exit 1; fi
  sleep 0.5
done
grep -q "listening on" "$work/coffer-serve.log" || { echo "coffer serve did not start" >&2; exit 1; }

# From here on the example is configured exactly as it would be for AWS, by the SDK's settings.
export AWS_ENDPOINT_URL="http://127.0.0.1:$coffer_port" AWS_REGION=us-east-1
if $use_dynalite; then
  dynalite_dir="$root/target/dynalite"
  if [ ! -f "$dynalite_dir/node_modules/dynalite/cli.js" ]; then
    echo "== installing dynalite 4.0.0 into $dynalite_dir"
    npm install --no-audit --no-fund --loglevel=error --prefix "$dynalite_dir" dynalite@4.0.0
  fi
  echo "== dynalite (in memory) on http://127.0.0.1:$dynalite_port for DynamoDB; KMS stays on coffer serve"
  node "$dynalite_dir/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$dynalite_port" --createTableMs 0 \
      > "$work/dynalite.log" 2>&1 &
  dynalite_pid=$!
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$dynalite_port") 2>/dev/null; then break; fi
    sleep 0.5
  done
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$dynalite_port"
fi
echo "== as admin: the application's KMS key with the tutorial's key policy"
AWS_ACCESS_KEY_ID=$admin_id AWS_SECRET_ACCESS_KEY=$admin_secret signup create-key --admin-arn "$admin_arn" --app-arn "$app_arn"
echo "== as admin: using the key is refused (the administrator manages it, never uses it)"
AWS_ACCESS_KEY_ID=$admin_id AWS_SECRET_ACCESS_KEY=$admin_secret signup try-key || true
echo "== as app: using the key is allowed; the users table"
AWS_ACCESS_KEY_ID=$app_id AWS_SECRET_ACCESS_KEY=$app_secret signup try-key
AWS_ACCESS_KEY_ID=$app_id AWS_SECRET_ACCESS_KEY=$app_secret signup create-table
echo "== as app: the web application"
AWS_ACCESS_KEY_ID=$app_id AWS_SECRET_ACCESS_KEY=$app_secret signup serve --port "$app_port"
