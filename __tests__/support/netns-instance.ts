/**
 * What a lab NAT instance runs besides the boot script: the fake systemctl,
 * power, aws and sleep commands (they record what they were asked and never
 * touch the host), the wrapper that runs a command as on the instance, and
 * how a unit's Exec lines are read.
 */
/**
 * The command lines of `key` (ExecStart, ExecStartPost, ExecReload, ExecStop) in a unit file,
 * split as systemd splits them. Only the plain form is accepted (absolute
 * path, no quotes, `$`, `%`, backslashes or `-@:+!` prefixes): anything else
 * throws, so a unit this cannot run faithfully is never run approximately.
 */
export function unitExecLines(unitText: string, key: 'ExecStart' | 'ExecStartPost' | 'ExecReload' | 'ExecStop'): string[][] {
  const lines: string[][] = [];
  let section = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    if (section !== '[Service]' || !line.startsWith(`${key}=`)) continue;
    const value = line.slice(key.length + 1).trim();
    if (/["'\\$%]/.test(value) || /^[-@:+!]/.test(value)) throw new Error(`unsupported ${key} syntax: ${value}`);
    const argv = value.split(/\s+/);
    if (!argv[0].startsWith('/')) throw new Error(`${key} must name an absolute path: ${value}`);
    lines.push(argv);
  }
  return lines;
}

/** The fake systemctl: records its arguments; start/restart/reload/stop run the unit's Exec lines as written (start: ExecStart, then ExecStartPost). */
export const FAKE_SYSTEMCTL = `#!/bin/bash
# Fake systemctl for the dx-privatelink namespace tests: never touches the host.
set -uo pipefail
echo "systemctl $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
args=()
for a in "$@"; do case $a in -*) ;; *) args+=("$a") ;; esac; done
verb=\${args[0]:-}
case $verb in
  start | restart | reload | stop)
    case $verb in start | restart) keys=(ExecStart ExecStartPost) ;; reload) keys=(ExecReload) ;; stop) keys=(ExecStop) ;; esac
    # What the unit found: was forwarding already on when its rules were loaded?
    echo "$verb \${args[1]} ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)" >>"\${DXPL_SYSTEMCTL_LOG}.state"
    unit=/etc/systemd/system/\${args[1]:?unit name}
    [ -f "$unit" ] || { echo "fake systemctl: $unit not found" >&2; exit 5; }
    for key in "\${keys[@]}"; do
      mapfile -t lines < <(sed -n '/^\\[Service\\]/,/^\\[/{s/^[[:space:]]*'"$key"'=//p}' "$unit")
      [ "\${#lines[@]}" -gt 0 ] || [ "$key" = ExecStartPost ] || { echo "fake systemctl: no $key= in $unit" >&2; exit 1; }
      for line in "\${lines[@]}"; do
        case $line in
          *[\\"\\'\\\\$%]* | [-@:+!]*) echo "fake systemctl: unsupported $key syntax: $line" >&2; exit 1 ;;
          /*) ;;
          *) echo "fake systemctl: $key must name an absolute path: $line" >&2; exit 1 ;;
        esac
        read -ra cmd <<<"$line"
        "\${cmd[@]}" || { echo "fake systemctl: $key failed: $line" >&2; exit 1; }
      done
    done
    ;;
esac
exit 0
`;

export const FAKE_POWER = `#!/bin/bash
# Fake power command for the dx-privatelink namespace tests: records, never acts.
echo "$(basename "$0") $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
exit 0
`;

/**
 * The fake AWS CLI. It answers only the calls the lab's model of the
 * deployed system says are reachable and allowed (DXPL_AWS_REACHABLE,
 * `<service> <operation>` per line, from flows/index.ts reachableCalls):
 * any other call fails as the real CLI does when no endpoint answers
 * (connect timeout, exit 255), so a call without a path or a permission
 * fails here too. `s3api get-object` fetches over the lab network from the
 * S3 stand-in (an HTTP server on the VPC side, as the S3 gateway endpoint
 * is reached through the VPC route table) and fails like the CLI when it
 * cannot; `autoscaling complete-lifecycle-action` is recorded. Everything
 * is logged.
 */
export const FAKE_AWS = `#!/bin/bash
# Fake AWS CLI for the dx-privatelink namespace tests: what the model allows, nothing else.
echo "aws $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
region=
for ((i = 1; i <= $#; i++)); do [ "\${!i}" = --region ] && { j=$((i + 1)); region=\${!j}; }; done
if ! grep -qxF "$1 $2" <<<"\${DXPL_AWS_REACHABLE-}"; then
  case $1 in s3api) host=s3 ;; *) host=$1 ;; esac
  echo "" >&2
  echo "Connect timeout on endpoint URL: \\"https://$host.\${region:-eu-west-2}.amazonaws.com/\\"" >&2
  exit 255
fi
case "$1 $2" in
  "s3api get-object")
    shift 2
    bucket= key= out=
    while [ $# -gt 0 ]; do
      case $1 in
        --bucket) bucket=$2; shift 2 ;;
        --key) key=$2; shift 2 ;;
        --region) shift 2 ;;
        -*) echo "fake aws: unsupported option $1" >&2; exit 2 ;;
        *) out=$1; shift ;;
      esac
    done
    [ -n "$bucket" ] && [ -n "$key" ] && [ -n "$out" ] || { echo "fake aws: get-object needs --bucket, --key and an outfile" >&2; exit 2; }
    curl -fsS -m 5 -o "$out" "http://\${DXPL_S3_ENDPOINT:?}/$bucket/$key" || { echo "fake aws: could not fetch s3://$bucket/$key" >&2; exit 255; }
    echo '{"ContentType": "text/plain"}'
    ;;
  "autoscaling complete-lifecycle-action") ;;
  *) echo "fake aws: unsupported: $*" >&2; exit 2 ;;
esac
`;

/** A sleep that does not: retry loops run at once (and are logged). */
export const FAKE_SLEEP = `#!/bin/bash
echo "sleep $*" >>"\${DXPL_SYSTEMCTL_LOG:?}"
`;

/** What an instance writes outside /var: private copies in its namespace, kept on its "disk". */
export const INSTANCE_PRIVATE_DIRS = ['/etc', '/usr/local/sbin'] as const;

/**
 * Runs "$@" as if on the NAT instance whose disk is DISK: in a private mount
 * namespace (the caller runs this under `unshare --mount`), /etc and
 * /usr/local/sbin are tmpfs copies of the host's plus the instance's earlier
 * writes, every file the command writes there is copied back to DISK (and
 * listed in DISK.written), and power, systemctl, aws and sleep are fakes.
 */
export const INSTANCE_WRAPPER = `#!/bin/bash
set -euo pipefail
disk=$1 stage=$2 fakebin=$3
shift 3
mount -t tmpfs -o mode=0755 dxpl-private "$stage"
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  mkdir -p "$stage$dir" "$disk$dir"
  cp -a "$dir/." "$stage$dir/"
  cp -a "$disk$dir/." "$stage$dir/"
done
# Every file the command writes gets a newer mtime than this.
find "$stage" -exec touch -h -d @0 {} +
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  mount --bind "$stage$dir" "$dir"
  [ "$(stat -f -c %T "$dir")" = tmpfs ] || { echo "instance wrapper: private $dir is not in place" >&2; exit 97; }
done
# Only this namespace's own net.* keys may change; the rest of /proc/sys is global.
mount --bind /proc/sys /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,ro /proc/sys
# Never a real systemctl or power command, not even by absolute path.
systemctl_real=
for tool in systemctl poweroff shutdown reboot halt; do
  real=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v "$tool" || true)
  [ -n "$real" ] || continue
  real=$(readlink -f "$real")
  if [ "$tool" = systemctl ]; then systemctl_real=$real; elif [ "$real" = "$systemctl_real" ]; then continue; fi
  mount --bind "$fakebin/$tool" "$real"
done
set +e
env -i PATH="$fakebin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 \\
  DXPL_SYSTEMCTL_LOG="\${DXPL_SYSTEMCTL_LOG:?}" DXPL_S3_ENDPOINT="\${DXPL_S3_ENDPOINT:-}" DXPL_AWS_REACHABLE="\${DXPL_AWS_REACHABLE:-}" "$@"
status=$?
set -e
: >"$disk.written"
for dir in ${INSTANCE_PRIVATE_DIRS.join(' ')}; do
  (cd "$dir" && find . -newermt @1 \\( -type f -o -type l \\) | sed "s|^\\./|$dir/|" | sort) >>"$disk.written"
  (cd "$dir" && find . -newermt @1 \\( -type f -o -type l \\) -print0 | xargs -0 -r cp -a --parents -t "$disk$dir")
done
sort -o "$disk.written" "$disk.written"
exit "$status"
`;
