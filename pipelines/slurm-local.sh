#!/usr/bin/env bash
# pipelines/slurm-local.sh: a one-node Slurm on localhost for tests and for trying the cluster
# path: `start` installs slurm-wlm + munge (Debian), writes slurm.conf, starts munged, slurmctld
# and slurmd as daemons; `stop` stops them; `status` shows them. No cgroups, no accounting.
set -euo pipefail

STATE=${SLURM_LOCAL_STATE:-/var/lib/slurm-webtext}
CONF=/etc/slurm/slurm.conf
MARK="# written by webtext pipelines/slurm-local.sh"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

say() { echo "slurm-local: $*" >&2; }

install_pkgs() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurm-wlm)
  command -v munged >/dev/null || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

write_conf() {
  if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    say "$CONF exists and is not ours: refusing to overwrite it (a real cluster is configured?)"
    exit 1
  fi
  local cpus mem
  cpus=$(nproc)
  mem=$(free -m | awk '/^Mem:/ { printf "%d", $2 * 0.9 }')
  $sudo mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d"
  $sudo tee "$CONF.tmp" >/dev/null <<EOF
$MARK (one node, localhost)
ClusterName=webtext
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# a small test cluster: schedule at once rather than in batches (job arrays chained by afterok)
SchedulerParameters=batch_sched_delay=0,sched_interval=2,bf_interval=1
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  $sudo mv -f "$CONF.tmp" "$CONF"
}

start_munge() {
  if pgrep -x munged >/dev/null && munge -n </dev/null >/dev/null 2>&1; then return 0; fi
  if [ ! -s /etc/munge/munge.key ]; then
    say "generating the munge key"
    $sudo mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then $sudo mungekey --create --force >/dev/null
    else $sudo dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
    $sudo chown munge:munge /etc/munge/munge.key
    $sudo chmod 400 /etc/munge/munge.key
  fi
  $sudo mkdir -p /run/munge /var/log/munge /var/lib/munge
  $sudo chown munge:munge /run/munge /var/log/munge /var/lib/munge
  $sudo runuser -u munge -- /usr/sbin/munged
  $sudo touch "$STATE/munged.ours" # stop stops it again
  for _ in $(seq 1 50); do # the daemons need its socket before they start
    munge -n </dev/null >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "munged does not answer (see /var/log/munge/munged.log)"
  return 1
}

daemon_pid() { # daemon_pid NAME: the pid in its pidfile if that process runs
  local f="$STATE/$1.pid" p
  [ -r "$f" ] || return 1
  p=$(cat "$f")
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"
}

wait_ready() {
  for _ in $(seq 1 60); do
    if sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then return 0; fi
    sleep 0.5
  done
  say "the node did not become idle; see $STATE/slurmctld.log and $STATE/slurmd.log"
  sinfo >&2 || true
  return 1
}

cmd_start() {
  install_pkgs
  write_conf
  start_munge
  daemon_pid slurmctld >/dev/null || $sudo slurmctld
  daemon_pid slurmd >/dev/null || $sudo slurmd
  wait_ready
  say "running: $(sinfo -h -o '%P %D node(s) %c CPUs %m MB %T')"
}

cmd_stop() {
  local d p
  for d in slurmd slurmctld; do
    if p=$(daemon_pid "$d"); then
      $sudo kill "$p"
      for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
      say "stopped $d ($p)"
    fi
  done
  if [ -e "$STATE/munged.ours" ] && [ -r /run/munge/munged.pid ]; then
    p=$(cat /run/munge/munged.pid)
    $sudo kill "$p" 2>/dev/null && say "stopped munged ($p)"
    $sudo rm -f "$STATE/munged.ours"
  fi
}

cmd_status() {
  local d p rc=0
  for d in slurmctld slurmd; do
    if p=$(daemon_pid "$d"); then echo "$d running (pid $p)"; else echo "$d stopped"; rc=1; fi
  done
  munge -n </dev/null >/dev/null 2>&1 && echo "munged running" || { echo "munged stopped"; rc=1; }
  [ $rc -eq 0 ] && sinfo
  return $rc
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: pipelines/slurm-local.sh start|stop|status" >&2; exit 2 ;;
esac
