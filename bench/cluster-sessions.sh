#!/usr/bin/env bash
# Many sessions held by a cluster on this one machine, with chat between nodes while they are held.
#
#   bench/cluster-sessions.sh [NODES] [SESSIONS_PER_NODE]   # default 6 nodes x 16,667 = 100,002
#
# Starts PostgreSQL and NODES nodes (tools/cluster), then one `connections` generator per node, one
# after another (each its own process: a process may open at most 20,000 descriptors here), each
# holding its sessions until the end. With all of them held it prints every node's RSS and heap and
# runs a cross-node `throughput` load (sender on node i, receiver on node i+1). Logs go to
# cluster-data/bench-*.log; `tools/cluster stop` ends the nodes (the script does it on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-6}
per_node=${2:-16667}
dir=$PWD/cluster-data
bench="java -XX:TieredStopAtLevel=1 -jar bench/target/chat-bench.jar"
[ -f bench/target/chat-bench.jar ] && [ -f server/target/chat-server.jar ] \
  || mvn -B -q -Dstyle.color=never -DskipTests package

# Load-test settings, not production ones: a cheap password hash (the default 600,000 PBKDF2
# iterations would make 100,000 registrations take hours on 2 cores), no per-session or per-address
# limit (every session comes from 127.0.0.x), the C1 compiler only and a smaller heap per node (six
# JVMs share 2 cores and 24 GiB).
export JAVA_OPTS="-XX:TieredStopAtLevel=1 -Xmx1500m -Dchat.auth.pbkdf2-iterations=1000
  -Dchat.limits.messages-per-second=1000000 -Dchat.limits.connections-per-address=1000000"
trap 'kill $(jobs -p) 2>/dev/null || true; tools/cluster stop' EXIT
tools/cluster start "$nodes"

pid_of() { cat "$dir/node$1.pid"; }
ports=$(for i in $(seq 0 $((nodes - 1))); do printf '%s,' $((12346 + 10 * i)); done)
run=$(($(date +%s) % 1000000)) # --run takes at most 12 letters or digits
hold=$((3600 * 4)) # the generators are stopped on exit
for i in $(seq 0 $((nodes - 1))); do
  log=$dir/bench-connections-$i.log
  echo "$(date +%T) node $((i + 1)): logging in $per_node sessions (log: $log)"
  $bench connections "$per_node" --port $((12346 + 10 * i)) --sources 8 --run "c${run}n$i" \
    --concurrency 16 --hold "$hold" --server-pid "$(pid_of "$i")" > "$log" 2>&1 &
  until grep -qs "logged in" "$log"; do
    kill -0 $! 2>/dev/null || { echo "generator $i ended early:"; tail -20 "$log"; exit 1; }
    sleep 5
  done
  grep "logged in" "$log" | tail -1
done

echo
echo "$(date +%T) all generators logged in; sessions each generator still holds:"
sleep 30
for i in $(seq 0 $((nodes - 1))); do
  echo "node $((i + 1)): $(grep 'holding:' "$dir/bench-connections-$i.log" | tail -1)"
done

echo
echo "node memory with every session held (RSS from /proc, heap after a full GC):"
for i in $(seq 0 $((nodes - 1))); do
  p=$(pid_of "$i")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$p/status")
  jcmd "$p" GC.run >/dev/null
  heap=$(jcmd "$p" GC.heap_info | awk '/used/ {for (f = 1; f <= NF; f++) if ($f == "used") {print $(f + 1); exit}}')
  echo "node $((i + 1)) (pid $p): RSS ${rss} kB, heap used $heap"
done

echo
echo "$(date +%T) chat between nodes while the sessions are held:"
$bench throughput --nodes "${ports%,}" --pairs 60 --rate 300 --duration 30 --run "t$run" \
  | tee "$dir/bench-throughput.log"

echo
echo "$(date +%T) sessions still held after the chat:"
for i in $(seq 0 $((nodes - 1))); do
  echo "node $((i + 1)): $(grep 'holding:' "$dir/bench-connections-$i.log" | tail -1)"
done
